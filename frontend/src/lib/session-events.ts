// SPDX-License-Identifier: Apache-2.0
// Tells the other tabs of this browser that the session was refreshed, signed in or signed out,
// so that they stay consistent without storing anything: the messages carry no patient data.
export type SessionEvent =
  { type: 'refreshed'; at: number } | { type: 'signed-in'; userId: string } | { type: 'signed-out' };

const channelName = 'medisecure-session';
const channel: BroadcastChannel | null =
  typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(channelName);

export function publishSessionEvent(event: SessionEvent): void {
  channel?.postMessage(event);
}

export function subscribeSessionEvents(listener: (event: SessionEvent) => void): () => void {
  if (!channel) return () => {};
  const onMessage = (e: MessageEvent<SessionEvent>) => listener(e.data);
  channel.addEventListener('message', onMessage);
  return () => channel.removeEventListener('message', onMessage);
}
