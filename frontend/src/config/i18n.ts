// SPDX-License-Identifier: Apache-2.0
// Supported languages and their message catalogues.
import { en } from './locales/en';
import { fr } from './locales/fr';

export const languages = ['fr', 'en'] as const;
export type Language = (typeof languages)[number];
export const defaultLanguage: Language = 'fr';

export const resources = {
  fr: { translation: fr },
  en: { translation: en },
} as const;
