// SPDX-License-Identifier: Apache-2.0
// Human words for audit actions and outcomes, falling back to the raw code for new ones.
import type { TFunction } from 'i18next';

export function actionLabel(t: TFunction, action: string): string {
  return t(`actions.${action.replaceAll('.', '_')}` as 'actions.patient_read', { defaultValue: action });
}

export function outcomeLabel(t: TFunction, outcome: string): string {
  return t(`outcomes.${outcome}` as 'outcomes.success', { defaultValue: outcome });
}
