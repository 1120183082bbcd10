// SPDX-License-Identifier: Apache-2.0
// The live notification stream: an EventSource on /api/v1/notifications/stream (the session
// cookie authenticates it; no token in JavaScript). Each event makes the notification list
// refetch, and is handed to `onNotification` (the application refreshes what it concerns). The
// browser reconnects by itself after a network drop; when the server closes the stream (the
// access token expired: 401), the list is fetched through the API client, which refreshes the
// session, and the stream reopens, waiting longer after each failure. It closes when `enabled`
// turns false (sign-out) or the component unmounts.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { latestNotificationsQuery, notificationKeys, type Notification } from '../api/notifications';

export const STREAM_PATH = '/api/v1/notifications/stream';
const MAX_BACKOFF_MS = 30_000;

export function useNotificationStream(enabled: boolean, onNotification?: (n: Notification) => void): void {
  const queryClient = useQueryClient();
  const handler = useRef(onNotification);
  useEffect(() => {
    handler.current = onNotification;
  }, [onNotification]);

  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let stopped = false;

    const open = () => {
      if (stopped) return;
      source = new EventSource(STREAM_PATH, { withCredentials: true });
      source.onopen = () => {
        failures = 0;
        // Whatever arrived while the stream was down.
        void queryClient.invalidateQueries({ queryKey: notificationKeys.all });
      };
      source.addEventListener('notification', (e) => {
        void queryClient.invalidateQueries({ queryKey: notificationKeys.all });
        try {
          handler.current?.(JSON.parse((e as MessageEvent<string>).data) as Notification);
        } catch {
          // A malformed event changes nothing: the list has been refetched anyway.
        }
      });
      source.onerror = () => {
        if (!source || source.readyState !== EventSource.CLOSED) return; // the browser retries
        source.close();
        source = null;
        failures += 1;
        const delay = Math.min(1000 * 2 ** (failures - 1), MAX_BACKOFF_MS);
        timer = setTimeout(() => {
          // Through the API client: a 401 there refreshes the session before the stream reopens.
          void queryClient
            .fetchQuery({ ...latestNotificationsQuery, staleTime: 0 })
            .catch(() => undefined)
            .finally(open);
        }, delay);
      };
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(timer);
      source?.close();
    };
  }, [enabled, queryClient]);
}
