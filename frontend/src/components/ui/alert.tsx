// SPDX-License-Identifier: Apache-2.0
// A message box: `error` and `warning` are announced at once (role=alert), `info`/`success` politely.
import type { ReactNode } from 'react';

export type AlertTone = 'info' | 'success' | 'warning' | 'error';

export function Alert({
  tone = 'info',
  title,
  children,
  actions,
}: {
  tone?: AlertTone;
  title?: string;
  children?: ReactNode;
  actions?: ReactNode;
}) {
  const urgent = tone === 'error' || tone === 'warning';
  return (
    <div className={`alert alert--${tone}`} role={urgent ? 'alert' : 'status'}>
      {title && <p className="alert__title">{title}</p>}
      {children && <div className="alert__body">{children}</div>}
      {actions && <div className="alert__actions">{actions}</div>}
    </div>
  );
}
