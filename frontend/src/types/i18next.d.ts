// SPDX-License-Identifier: Apache-2.0
// Types translation keys from the French catalogue: t('a.missing.key') fails to compile.
import 'i18next';
import type { fr } from '@/config/locales/fr';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof fr };
    returnNull: false;
  }
}
