// SPDX-License-Identifier: Apache-2.0
// Medical-record types, from the generated OpenAPI schema, and the enumerations the screens offer.
import type { components } from '@/types/openapi.gen';

type Schemas = components['schemas'];

export type Encounter = Schemas['Encounter'];
export type EncounterItem = Schemas['EncounterItem'];
export type EncounterInput = Schemas['EncounterInput'];
export type EncounterPatch = Schemas['EncounterPatch'];
export type Diagnosis = Schemas['Diagnosis'];
export type DiagnosisInput = Schemas['DiagnosisInput'];
export type Prescription = Schemas['Prescription'];
export type PrescriptionInput = Schemas['PrescriptionInput'];
export type PrescriptionStatus = Prescription['status'];
export type Route = Prescription['route'];
export type Amendment = Schemas['Amendment'];
export type AmendmentInput = Schemas['AmendmentInput'];
export type Icd10Code = Schemas['Icd10Code'];
export type Vitals = Schemas['Vitals'];
export type VitalsInput = Schemas['VitalsInput'];
export type Allergy = Schemas['Allergy'];
export type AllergyInput = Schemas['AllergyInput'];
export type AllergyPatch = Schemas['AllergyPatch'];
export type Severity = Allergy['severity'];
export type Condition = Schemas['Condition'];
export type ConditionInput = Schemas['ConditionInput'];
export type ConditionPatch = Schemas['ConditionPatch'];
export type ClinicalSummary = Schemas['ClinicalSummary'];
export type LatestVitals = Schemas['LatestVitals'];

export const routes: readonly Route[] = [
  'oral',
  'sublingual',
  'cutaneous',
  'transdermal',
  'ocular',
  'auricular',
  'nasal',
  'inhaled',
  'rectal',
  'vaginal',
  'subcutaneous',
  'intramuscular',
  'intravenous',
  'other',
];
export const severities: readonly Severity[] = ['mild', 'moderate', 'severe'];
export const prescriptionStatuses: readonly PrescriptionStatus[] = ['active', 'stopped', 'completed'];

/** The measures of a vital-signs record, each with its unit in its name, as the API has them. */
export const measures = [
  'systolic_mmhg',
  'diastolic_mmhg',
  'heart_rate_bpm',
  'temperature_c',
  'weight_kg',
  'height_cm',
  'spo2_pct',
] as const;
export type Measure = (typeof measures)[number];

/** Plausible ranges (docs/records.md): the server refuses values outside them. */
export const measureRanges: Record<Measure, { min: number; max: number; step: number }> = {
  systolic_mmhg: { min: 40, max: 300, step: 1 },
  diastolic_mmhg: { min: 20, max: 200, step: 1 },
  heart_rate_bpm: { min: 20, max: 300, step: 1 },
  temperature_c: { min: 30, max: 45, step: 0.1 },
  weight_kg: { min: 0.2, max: 500, step: 0.01 },
  height_cm: { min: 20, max: 260, step: 0.1 },
  spo2_pct: { min: 50, max: 100, step: 1 },
};

/** BMI in kg/m², one decimal, as the server derives it; null without both values. */
export function bmiOf(weightKg: number | null | undefined, heightCm: number | null | undefined): number | null {
  if (!weightKg || !heightCm) return null;
  const m = heightCm / 100;
  return Math.round((weightKg / (m * m)) * 10) / 10;
}

/** The ETag of a list item (allergy, condition, prescription): the server's `"v<version>"`. */
export function etagOfVersion(version: number): string {
  return `"v${version}"`;
}
