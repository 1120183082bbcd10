// SPDX-License-Identifier: Apache-2.0
// The encounter form's schema and its conversions: a draft read from the server becomes form
// values, and form values become the create or change request (lists are sent whole: the server
// replaces them).
import { z } from 'zod';
import { msg, optionalText, requiredText } from '@/lib/validation';
import { localDateTimeToIso } from '@/utils/format';
import { routes, type Encounter, type EncounterInput, type EncounterPatch, type Route } from '../types';

/** The server's limits: the form offers no more rows than these. */
export const MAX_DIAGNOSES = 12;
export const MAX_PRESCRIPTIONS = 30;

const diagnosis = z.object({ code: z.string().min(3), label: z.string().max(300) });

const prescription = z.object({
  drug: requiredText(200),
  dose: requiredText(100),
  route: z.enum(routes as [Route, ...Route[]]),
  frequency: requiredText(200),
  duration: requiredText(100),
  instructions: optionalText(1000),
});

export const encounterFormSchema = z.object({
  occurred_at: z
    .string()
    .min(1, msg('validation.required'))
    .refine((v) => localDateTimeToIso(v) !== undefined, msg('validation.date')),
  reason: requiredText(300),
  notes: z.object({
    subjective: optionalText(20000),
    objective: optionalText(20000),
    assessment: optionalText(20000),
    plan: optionalText(20000),
  }),
  diagnoses: z.array(diagnosis).max(MAX_DIAGNOSES),
  /** The code of the main diagnosis ('' = the first one). */
  primary: z.string(),
  prescriptions: z.array(prescription).max(MAX_PRESCRIPTIONS),
});

export type EncounterFormValues = z.infer<typeof encounterFormSchema>;
export type PrescriptionFormValues = EncounterFormValues['prescriptions'][number];

export const emptyPrescription: PrescriptionFormValues = {
  drug: '',
  dose: '',
  route: 'oral',
  frequency: '',
  duration: '',
  instructions: '',
};

/** An instant as the value of <input type="datetime-local"> (local time, minutes). */
export function isoToLocalDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function newEncounterValues(now: Date = new Date()): EncounterFormValues {
  return {
    occurred_at: isoToLocalDateTime(now.toISOString()),
    reason: '',
    notes: { subjective: '', objective: '', assessment: '', plan: '' },
    diagnoses: [],
    primary: '',
    prescriptions: [],
  };
}

export function encounterValues(e: Encounter): EncounterFormValues {
  return {
    occurred_at: isoToLocalDateTime(e.occurred_at),
    reason: e.reason,
    notes: {
      subjective: e.notes.subjective ?? '',
      objective: e.notes.objective ?? '',
      assessment: e.notes.assessment ?? '',
      plan: e.notes.plan,
    },
    diagnoses: e.diagnoses.map((d) => ({ code: d.code, label: d.label })),
    primary: e.diagnoses.find((d) => d.primary)?.code ?? '',
    prescriptions: e.prescriptions.map((p) => ({
      drug: p.drug,
      dose: p.dose,
      route: p.route,
      frequency: p.frequency,
      duration: p.duration,
      instructions: p.instructions,
    })),
  };
}

function body(v: EncounterFormValues): Required<Omit<EncounterPatch, 'appointment_id'>> {
  const primary = v.diagnoses.some((d) => d.code === v.primary) ? v.primary : v.diagnoses[0]?.code;
  return {
    occurred_at: localDateTimeToIso(v.occurred_at) ?? new Date().toISOString(),
    reason: v.reason,
    notes: v.notes,
    diagnoses: v.diagnoses.map((d) => ({ code: d.code, label: d.label, primary: d.code === primary })),
    prescriptions: v.prescriptions.map(({ instructions, ...p }) => (instructions ? { ...p, instructions } : p)),
  };
}

export function toEncounterInput(patientId: string, v: EncounterFormValues): EncounterInput {
  return { patient_id: patientId, ...body(v) };
}

export function toEncounterPatch(v: EncounterFormValues): EncounterPatch {
  return body(v);
}

/** The form's field paths, for the server's field errors (JSON pointers) to land on. */
export function encounterFieldPaths(v: EncounterFormValues): string[] {
  const fields = ['occurred_at', 'reason', 'notes.subjective', 'notes.objective', 'notes.assessment', 'notes.plan'];
  v.diagnoses.forEach((_, i) => fields.push(`diagnoses.${i}.code`, `diagnoses.${i}.label`));
  v.prescriptions.forEach((_, i) =>
    (['drug', 'dose', 'route', 'frequency', 'duration', 'instructions'] as const).forEach((f) =>
      fields.push(`prescriptions.${i}.${f}`),
    ),
  );
  return fields;
}
