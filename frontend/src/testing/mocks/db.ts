// SPDX-License-Identifier: Apache-2.0
// In-memory data behind the MSW handlers, reset after every test.
import type { components } from '@/types/openapi.gen';

type User = components['schemas']['User'];
type Patient = components['schemas']['Patient'];

const now = '2026-11-20T10:00:00Z';

export function makeUser(over: Partial<User> = {}): User {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    email: 'accueil@example.test',
    display_name: 'Zoé Accueil',
    role: 'secretary',
    patient_id: null,
    active: true,
    totp_enabled: false,
    created_at: now,
    updated_at: now,
    version: 1,
    ...over,
  };
}

export function makePatient(over: Partial<Patient> = {}): Patient {
  return {
    id: '10000000-0000-4000-8000-000000000001',
    mrn: 'MS00000018',
    first_name: 'Hélène',
    last_name: 'Dupont',
    birth_name: null,
    sex: 'female',
    birth_date: '1938-01-01',
    age: 88,
    birth_place_code: null,
    nir: null,
    ins_oid: null,
    identity_status: 'validated',
    email: 'helene@example.test',
    phone: '+33 6 12 34 56 78',
    address: { line1: '1 rue de la Paix', line2: '', postal_code: '75002', city: 'Paris', country: 'FR' },
    emergency_contact: { name: '', relationship: '', phone: '' },
    insurance: { amo_number: '', amo_fund: '', amc_name: '', amc_number: '' },
    preferred_language: 'fr',
    primary_practitioner_id: null,
    archived: false,
    created_at: now,
    updated_at: now,
    version: 1,
    ...over,
  };
}

export const db = {
  me: makeUser() as User | null,
  users: [] as User[],
  patients: [] as Patient[],
};

export function resetDb(): void {
  db.me = makeUser();
  db.users = [
    makeUser(),
    makeUser({
      id: '00000000-0000-4000-8000-000000000002',
      email: 'admin@example.test',
      display_name: 'Ada Admin',
      role: 'admin',
    }),
  ];
  db.patients = [
    makePatient(),
    makePatient({
      id: '10000000-0000-4000-8000-000000000002',
      mrn: 'MS00000455',
      first_name: 'Hélène',
      last_name: 'Bérard',
      birth_date: '2014-05-01',
      age: 12,
    }),
    makePatient({
      id: '10000000-0000-4000-8000-000000000003',
      mrn: 'MS00000570',
      first_name: 'Théo',
      last_name: 'Rousseau',
      sex: 'male',
      birth_date: '1980-02-03',
      age: 46,
    }),
  ];
}

resetDb();

/** Lower-case, accents removed: what the backend's search compares. */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
}
