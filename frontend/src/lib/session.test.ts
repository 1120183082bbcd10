// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { session } from './session';

describe('session', () => {
  it('has nothing to wait for before anyone signed in', async () => {
    await expect(session.waitForReauthentication()).rejects.toThrow('not signed in');
    expect(session.get().expired).toBe(false);
  });

  it('holds the waiting requests until the same user is back', async () => {
    session.signedIn('u1', false);
    const first = session.waitForReauthentication();
    const second = session.waitForReauthentication();
    expect(session.get().expired).toBe(true);
    session.reauthenticated();
    await expect(Promise.all([first, second])).resolves.toEqual([undefined, undefined]);
    expect(session.get()).toMatchObject({ userId: 'u1', expired: false });
  });

  it('fails the waiting requests and forgets the user on sign-out', async () => {
    session.signedIn('u1', true);
    const waiting = session.waitForReauthentication();
    session.ended();
    await expect(waiting).rejects.toThrow('signed out');
    expect(session.get()).toEqual({ userId: null, enrolmentRequired: false, expired: false });
  });
});
