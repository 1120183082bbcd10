// SPDX-License-Identifier: Apache-2.0
// Patient types, from the generated OpenAPI schema; duplicate candidates are parsed at run time
// because the problem document declares them untyped.
import { z } from 'zod';
import type { components } from '@/types/openapi.gen';

export type Patient = components['schemas']['Patient'];
export type PatientSummary = components['schemas']['PatientSummary'];
export type PatientInput = components['schemas']['PatientInput'];
export type PatientPatch = components['schemas']['PatientPatch'];
export type Sex = Patient['sex'];
export type IdentityStatus = NonNullable<Patient['identity_status']>;

export const sexes: readonly Sex[] = ['female', 'male', 'other', 'unknown'];
export const identityStatuses: readonly IdentityStatus[] = ['provisional', 'recovered', 'validated', 'qualified'];

export const duplicateCandidate = z.object({
  id: z.string(),
  mrn: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  birth_date: z.string(),
  reason: z.string(),
});
export type DuplicateCandidate = z.infer<typeof duplicateCandidate>;

export function parseCandidates(raw: readonly unknown[]): DuplicateCandidate[] {
  return raw.flatMap((c) => {
    const parsed = duplicateCandidate.safeParse(c);
    return parsed.success ? [parsed.data] : [];
  });
}

export function fullName(p: { first_name: string; last_name: string }): string {
  return `${p.last_name.toUpperCase()} ${p.first_name}`;
}
