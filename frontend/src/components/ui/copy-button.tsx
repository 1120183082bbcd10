// SPDX-License-Identifier: Apache-2.0
// Copies a value to the clipboard and says so.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

export function CopyButton({ value, label }: { value: string; label?: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="button button--secondary button--small"
      onClick={() => {
        void navigator.clipboard?.writeText(value).then(() => setCopied(true));
      }}
    >
      {copied ? t('common.copied') : (label ?? t('common.copy'))}
      <span className="visually-hidden" aria-live="polite">
        {copied ? t('common.copied') : ''}
      </span>
    </button>
  );
}
