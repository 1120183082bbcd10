// SPDX-License-Identifier: Apache-2.0
// The demographics form's schema and its conversions to the API's PatientInput (register) and
// PatientPatch (merge patch: only what changed; '' clears an optional field).
import { z } from 'zod';
import {
  countryCode,
  emailText,
  emptyToNull,
  msg,
  nirText,
  optionalText,
  pastDate,
  phoneText,
  requiredText,
} from '@/lib/validation';
import { normalizeNir } from '@/utils/nir';
import {
  identityStatuses,
  sexes,
  type IdentityStatus,
  type Patient,
  type PatientInput,
  type PatientPatch,
  type Sex,
} from '../types';

export const preferredLanguages = ['fr', 'en', 'de', 'es', 'it', 'pt', 'ar'] as const;

const address = z.object({
  line1: optionalText(200),
  line2: optionalText(200),
  postal_code: optionalText(16),
  city: optionalText(100),
  country: countryCode,
});
const emergency = z.object({ name: optionalText(200), relationship: optionalText(100), phone: phoneText });
const insurance = z.object({
  amo_number: optionalText(32),
  amo_fund: optionalText(64),
  amc_name: optionalText(100),
  amc_number: optionalText(64),
});

export const patientFormSchema = z.object({
  first_name: requiredText(100),
  last_name: requiredText(100),
  birth_name: optionalText(100),
  sex: z.enum(sexes as [Sex, ...Sex[]], { message: msg('validation.required') }),
  birth_date: pastDate,
  birth_place_code: z
    .string()
    .trim()
    .refine((v) => v === '' || /^[0-9AB]{5}$/i.test(v), msg('validation.birthPlace')),
  nir: nirText,
  identity_status: z.enum(identityStatuses as [IdentityStatus, ...IdentityStatus[]]),
  email: emailText,
  phone: phoneText,
  preferred_language: z.string().regex(/^[a-z]{2}$/),
  address,
  emergency_contact: emergency,
  insurance,
});

export type PatientFormValues = z.infer<typeof patientFormSchema>;

/** Fields a patient may change on their own record (the server enforces the same list). */
export const contactFields = ['email', 'phone', 'address', 'emergency_contact', 'preferred_language'] as const;

/** Every field path of the form, to match server field errors. */
export const patientFieldPaths: readonly string[] = [
  'first_name',
  'last_name',
  'birth_name',
  'sex',
  'birth_date',
  'birth_place_code',
  'nir',
  'identity_status',
  'email',
  'phone',
  'preferred_language',
  ...Object.keys(address.shape).map((k) => `address.${k}`),
  ...Object.keys(emergency.shape).map((k) => `emergency_contact.${k}`),
  ...Object.keys(insurance.shape).map((k) => `insurance.${k}`),
];

export const emptyPatientForm: PatientFormValues = {
  first_name: '',
  last_name: '',
  birth_name: '',
  sex: '' as Sex,
  birth_date: '',
  birth_place_code: '',
  nir: '',
  identity_status: 'provisional',
  email: '',
  phone: '',
  preferred_language: 'fr',
  address: { line1: '', line2: '', postal_code: '', city: '', country: 'FR' },
  emergency_contact: { name: '', relationship: '', phone: '' },
  insurance: { amo_number: '', amo_fund: '', amc_name: '', amc_number: '' },
};

export function formValuesOf(p: Patient): PatientFormValues {
  return {
    first_name: p.first_name,
    last_name: p.last_name,
    birth_name: p.birth_name ?? '',
    sex: p.sex,
    birth_date: p.birth_date,
    birth_place_code: p.birth_place_code ?? '',
    nir: p.nir ?? '',
    identity_status: p.identity_status ?? 'provisional',
    email: p.email ?? '',
    phone: p.phone ?? '',
    preferred_language: p.preferred_language ?? 'fr',
    address: {
      line1: p.address.line1 ?? '',
      line2: p.address.line2 ?? '',
      postal_code: p.address.postal_code ?? '',
      city: p.address.city ?? '',
      country: p.address.country ?? 'FR',
    },
    emergency_contact: {
      name: p.emergency_contact?.name ?? '',
      relationship: p.emergency_contact?.relationship ?? '',
      phone: p.emergency_contact?.phone ?? '',
    },
    insurance: {
      amo_number: p.insurance.amo_number ?? '',
      amo_fund: p.insurance.amo_fund ?? '',
      amc_name: p.insurance.amc_name ?? '',
      amc_number: p.insurance.amc_number ?? '',
    },
  };
}

/** Keeps the non-empty members of a sub-object; null when none is left. */
function compact<T extends Record<string, string>>(o: T): Partial<T> | null {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v.trim() !== '') (out as Record<string, string>)[k] = v.trim();
  return Object.keys(out).length ? out : null;
}

export function toPatientInput(v: PatientFormValues): PatientInput {
  const input: PatientInput = {
    first_name: v.first_name,
    last_name: v.last_name,
    sex: v.sex,
    birth_date: v.birth_date,
    identity_status: v.identity_status,
    preferred_language: v.preferred_language,
  };
  if (v.birth_name) input.birth_name = v.birth_name;
  if (v.birth_place_code) input.birth_place_code = v.birth_place_code.toUpperCase();
  if (v.nir) input.nir = normalizeNir(v.nir);
  if (v.email) input.email = v.email;
  if (v.phone) input.phone = v.phone;
  const a = compact(v.address);
  if (a) input.address = a;
  const e = compact(v.emergency_contact);
  if (e) input.emergency_contact = e;
  const i = compact(v.insurance);
  if (i) input.insurance = i;
  return input;
}

type Dirty = Partial<Record<keyof PatientFormValues, unknown>>;

/** The merge patch for the fields the user changed; address-like groups are sent whole. */
export function toPatientPatch(v: PatientFormValues, dirty: Dirty): PatientPatch {
  const patch: PatientPatch = {};
  const p = patch as Record<string, unknown>;
  for (const key of Object.keys(dirty) as (keyof PatientFormValues)[]) {
    if (!dirty[key]) continue;
    switch (key) {
      case 'first_name':
      case 'last_name':
      case 'sex':
      case 'birth_date':
      case 'identity_status':
      case 'preferred_language':
        p[key] = v[key];
        break;
      case 'nir':
        p.nir = v.nir.trim() ? normalizeNir(v.nir) : null;
        break;
      case 'birth_place_code':
        p.birth_place_code = emptyToNull(v.birth_place_code.toUpperCase());
        break;
      case 'birth_name':
      case 'email':
      case 'phone':
        p[key] = emptyToNull(v[key]);
        break;
      case 'address':
      case 'emergency_contact':
      case 'insurance':
        p[key] = compact(v[key]);
        break;
    }
  }
  return patch;
}
