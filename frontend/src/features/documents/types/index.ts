// SPDX-License-Identifier: Apache-2.0
// Document types, from the generated OpenAPI schema.
import type { components } from '@/types/openapi.gen';

export type Document = components['schemas']['Document'];
export type Category = Document['category'];

export const categories: readonly Category[] = [
  'lab_result',
  'imaging',
  'letter',
  'prescription',
  'consent',
  'administrative',
  'other',
];

/** Categories only doctors and nurses (and the patient, when shared) may open (docs: 403 otherwise). */
export function isClinical(category: Category): boolean {
  return category === 'lab_result' || category === 'imaging' || category === 'letter' || category === 'prescription';
}

/** The file name without its extension, as a default title. */
export function titleFromFilename(name: string): string {
  const dot = name.lastIndexOf('.');
  return (dot > 0 ? name.slice(0, dot) : name).replace(/[_-]+/g, ' ').trim().slice(0, 200);
}
