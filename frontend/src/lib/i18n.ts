// SPDX-License-Identifier: Apache-2.0
// i18next set-up: French by default for a French browser (and as the fallback), English otherwise;
// the user's explicit choice is remembered (a language code only: no personal data).
import i18n from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next, useTranslation } from 'react-i18next';
import { defaultLanguage, languages, resources, type Language } from '@/config/i18n';

export const LANGUAGE_STORAGE_KEY = 'medisecure.language';

export function initI18n(lng?: Language) {
  if (!i18n.isInitialized) {
    void i18n
      .use(LanguageDetector)
      .use(initReactI18next)
      .init({
        resources,
        lng,
        fallbackLng: defaultLanguage,
        supportedLngs: languages,
        nonExplicitSupportedLngs: true,
        load: 'languageOnly',
        interpolation: { escapeValue: false },
        returnNull: false,
        detection: {
          order: ['localStorage', 'navigator'],
          lookupLocalStorage: LANGUAGE_STORAGE_KEY,
          caches: ['localStorage'],
        },
        react: { useSuspense: false },
      });
    i18n.on('languageChanged', (l) => {
      if (typeof document !== 'undefined') document.documentElement.lang = l;
    });
    if (typeof document !== 'undefined') document.documentElement.lang = currentLanguage();
  } else if (lng) {
    void i18n.changeLanguage(lng);
  }
  return i18n;
}

export function currentLanguage(): Language {
  const l = (i18n.resolvedLanguage ?? i18n.language ?? defaultLanguage).slice(0, 2);
  return (languages as readonly string[]).includes(l) ? (l as Language) : defaultLanguage;
}

export { i18n };

/**
 * The locale for dates and numbers: the browser's own variant of the interface language
 * (en-GB writes "1 January", en-US "January 1"), else the language itself.
 */
export function formattingLocale(language: string): string {
  const preferred = typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]);
  return preferred.find((l) => l.toLowerCase().startsWith(`${language}-`)) ?? language;
}

/** formattingLocale() for the current language, re-rendering when it changes. */
export function useLocale(): string {
  const { i18n: instance } = useTranslation();
  return formattingLocale(instance.resolvedLanguage ?? instance.language);
}
