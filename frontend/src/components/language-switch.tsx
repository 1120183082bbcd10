// SPDX-License-Identifier: Apache-2.0
// Switches the interface language (French / English).
import { useTranslation } from 'react-i18next';
import { languages } from '@/config/i18n';
import { currentLanguage } from '@/lib/i18n';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <div className="language-switch" role="group" aria-label={t('common.language')}>
      {languages.map((l) => (
        <button
          key={l}
          type="button"
          lang={l}
          className="language-switch__option"
          aria-pressed={currentLanguage() === l}
          onClick={() => void i18n.changeLanguage(l)}
        >
          {t(`languages.${l}`)}
        </button>
      ))}
    </div>
  );
}
