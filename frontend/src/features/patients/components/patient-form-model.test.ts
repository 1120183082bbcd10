// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { makePatient } from '@/testing/mocks/db';
import { searchFromText } from '../api/patients';
import { emptyPatientForm, formValuesOf, toPatientInput, toPatientPatch } from './patient-form-model';

describe('patient form model', () => {
  it('leaves empty optional fields out of a registration', () => {
    const input = toPatientInput({
      ...emptyPatientForm,
      first_name: 'Léa',
      last_name: 'Martin',
      sex: 'female',
      birth_date: '1990-04-01',
      nir: '2 90 04 75 115 423 12',
      address: { ...emptyPatientForm.address, city: 'Paris' },
    });
    expect(input).toEqual({
      first_name: 'Léa',
      last_name: 'Martin',
      sex: 'female',
      birth_date: '1990-04-01',
      identity_status: 'provisional',
      preferred_language: 'fr',
      nir: '290047511542312',
      address: { city: 'Paris', country: 'FR' },
    });
  });

  it('patches only what changed, clearing emptied fields with null and groups as a whole', () => {
    const values = formValuesOf(makePatient());
    values.phone = '';
    values.address.city = 'Lyon';
    values.last_name = 'Changed but not dirty';
    const patch = toPatientPatch(values, { phone: true, address: { city: true } });
    expect(patch).toEqual({
      phone: null,
      address: { line1: '1 rue de la Paix', postal_code: '75002', city: 'Lyon', country: 'FR' },
    });
  });
});

describe('searchFromText', () => {
  it('recognises record numbers and NIRs, and searches names otherwise', () => {
    expect(searchFromText('ms 00000018')).toEqual({ mrn: 'MS00000018' });
    expect(searchFromText('2 84 05 2A 004 123 38')).toEqual({ nir: '284052A00412338' });
    expect(searchFromText('  dupont hél ', '1938-01-01')).toEqual({ q: 'dupont hél', birth_date: '1938-01-01' });
    expect(searchFromText('   ')).toEqual({});
  });
});
