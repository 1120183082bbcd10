// SPDX-License-Identifier: Apache-2.0
// A screen's title. It takes focus when the screen opens, so keyboard and screen-reader users
// land on the new content after navigating (and the document title follows).
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function PageHeader({
  title,
  children,
  actions,
  focusTitle = true,
}: {
  title: string;
  children?: ReactNode;
  actions?: ReactNode;
  /** False on screens whose first control takes the focus instead (the patient search). */
  focusTitle?: boolean;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focusTitle) ref.current?.focus({ preventScroll: false });
  }, [focusTitle]);
  useEffect(() => {
    document.title = `${title} · ${t('common.appName')}`;
  }, [title, t]);
  return (
    <header className="page-header">
      <div>
        <h1 ref={ref} tabIndex={-1}>
          {title}
        </h1>
        {children}
      </div>
      {actions && <div className="page-header__actions">{actions}</div>}
    </header>
  );
}
