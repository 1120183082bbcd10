// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { i18n } from './i18n';
import { msg, validationMessage } from './validation';

describe('validationMessage', () => {
  const t = i18n.t.bind(i18n);
  it('translates a catalogue key of any feature, with its parameters', () => {
    expect(validationMessage(t, msg('validation.required'))).toBe('Required');
    expect(validationMessage(t, msg('records.vitals.range', { min: 20, max: 300 }))).toBe('Between 20 and 300.');
  });

  it('shows any other text as it is (a server message already in words)', () => {
    expect(validationMessage(t, 'must be between 50 and 100')).toBe('must be between 50 and 100');
    expect(validationMessage(t, 'records.vitals.range|not json')).toBe('records.vitals.range|not json');
    expect(validationMessage(t, undefined)).toBeUndefined();
  });
});
