// SPDX-License-Identifier: Apache-2.0
// Words and units for the record's values, in the user's language and number format.
import type { TFunction } from 'i18next';
import type { Measure } from '../types';

export type Series = Measure | 'bmi';

export function measureLabel(t: TFunction, m: Series): string {
  return t(`records.vitals.measures.${m}`);
}

export function measureUnit(t: TFunction, m: Series): string {
  return t(`records.vitals.units.${m}`);
}

/** "72 bpm", "37,5 °C" (the user's decimal separator). */
export function formatMeasure(t: TFunction, m: Series, value: number, locale: string): string {
  const digits = m === 'temperature_c' || m === 'bmi' || m === 'height_cm' ? 1 : m === 'weight_kg' ? 2 : 0;
  const n = new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);
  return `${n} ${measureUnit(t, m)}`;
}

/** "135/82 mmHg" when both pressures are known. */
export function formatPressure(t: TFunction, systolic: number, diastolic: number, locale: string): string {
  const f = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  return `${f.format(systolic)}/${f.format(diastolic)} ${measureUnit(t, 'systolic_mmhg')}`;
}
