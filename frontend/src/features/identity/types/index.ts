// SPDX-License-Identifier: Apache-2.0
// Identity types, taken from the generated OpenAPI schema.
import type { components } from '@/types/openapi.gen';

export type User = components['schemas']['User'];
export type Role = User['role'];
export type SignIn = components['schemas']['SignIn'];
export type NewUser = components['schemas']['NewUser'];
export type UserChanges = components['schemas']['UserChanges'];
export type UserWithPassword = components['schemas']['UserWithPassword'];
export type TotpEnrolment = components['schemas']['TotpEnrolment'];

export const roles: readonly Role[] = ['admin', 'doctor', 'nurse', 'secretary', 'accountant', 'patient'];
