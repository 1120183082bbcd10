// SPDX-License-Identifier: Apache-2.0
import i18next from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { describe, expect, it } from 'vitest';
import { defaultLanguage, languages, resources } from '@/config/i18n';

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    typeof v === 'string' ? [`${prefix}${k}`] : keys(v as object, `${prefix}${k}.`),
  );
}

async function detect(navigatorLanguages: string[]): Promise<string | undefined> {
  Object.defineProperty(window.navigator, 'languages', { value: navigatorLanguages, configurable: true });
  Object.defineProperty(window.navigator, 'language', { value: navigatorLanguages[0], configurable: true });
  const instance = i18next.createInstance();
  await instance.use(LanguageDetector).init({
    resources,
    fallbackLng: defaultLanguage,
    supportedLngs: languages,
    nonExplicitSupportedLngs: true,
    load: 'languageOnly',
    detection: { order: ['navigator'], caches: [] },
  });
  return instance.resolvedLanguage;
}

describe('languages', () => {
  it('has the same messages in French and English, none empty', () => {
    expect(keys(resources.en.translation)).toEqual(keys(resources.fr.translation));
    for (const lang of languages) {
      const t = resources[lang].translation;
      for (const k of keys(t)) {
        const v = k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], t);
        expect(v, `${lang}: ${k}`).not.toBe('');
      }
    }
  });

  it('speaks French to a French browser and English to an English one; French otherwise', async () => {
    expect(await detect(['fr-FR', 'fr'])).toBe('fr');
    expect(await detect(['en-GB'])).toBe('en');
    expect(await detect(['de-DE'])).toBe('fr');
  });
});
