// SPDX-License-Identifier: Apache-2.0
// In-memory session state that is not server data: whether the account must enrol a second
// factor, and whether the session has ended while work is open on screen (the re-sign-in dialog
// then keeps the screen mounted and replays the waiting requests once the user is back).
import { useSyncExternalStore } from 'react';

export interface SessionState {
  /** Id of the signed-in user, once known. */
  userId: string | null;
  enrolmentRequired: boolean;
  /** The session ended under an open screen; the re-sign-in dialog is showing. */
  expired: boolean;
}

type Waiter = { resolve: () => void; reject: (e: Error) => void };

let state: SessionState = { userId: null, enrolmentRequired: false, expired: false };
let waiters: Waiter[] = [];
const listeners = new Set<() => void>();

function set(next: Partial<SessionState>): void {
  state = { ...state, ...next };
  listeners.forEach((l) => l());
}

export const session = {
  get: (): SessionState => state,
  subscribe: (listener: () => void): (() => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  signedIn: (userId: string, enrolmentRequired: boolean): void => {
    set({ userId, enrolmentRequired });
  },
  userKnown: (userId: string): void => {
    if (state.userId !== userId) set({ userId });
  },
  enrolmentRequired: (): void => {
    if (!state.enrolmentRequired) set({ enrolmentRequired: true });
  },
  enrolled: (): void => {
    set({ enrolmentRequired: false });
  },
  /**
   * Called by the API client when the session could not be refreshed. With a user on screen it
   * waits for the re-sign-in; before anyone signed in there is nothing to keep, so it fails.
   */
  waitForReauthentication: (): Promise<void> => {
    if (!state.userId) return Promise.reject(new Error('not signed in'));
    if (!state.expired) set({ expired: true });
    return new Promise<void>((resolve, reject) => waiters.push({ resolve, reject }));
  },
  /** The same user signed in again: replay the waiting requests. */
  reauthenticated: (): void => {
    const w = waiters;
    waiters = [];
    set({ expired: false });
    w.forEach((x) => x.resolve());
  },
  /** Sign-out (or a different user): the waiting requests fail and the state is forgotten. */
  ended: (): void => {
    const w = waiters;
    waiters = [];
    state = { userId: null, enrolmentRequired: false, expired: false };
    listeners.forEach((l) => l());
    w.forEach((x) => x.reject(new Error('signed out')));
  },
};

export function useSession(): SessionState {
  return useSyncExternalStore(session.subscribe, session.get, session.get);
}
