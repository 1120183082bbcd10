// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { createQueryClient, replaceQueryData } from './query-client';

describe('replaceQueryData', () => {
  it('keeps a write result when a read started before the write answers after it', async () => {
    const client = createQueryClient();
    const key = ['patients', 'detail', 'p1'];
    client.setQueryData(key, { city: 'Nantes', version: 1 });
    let answerOldRead: (v: unknown) => void = () => {};
    // A refetch in flight: it will answer with the record as it was before the write.
    const read = client
      .fetchQuery({
        queryKey: key,
        staleTime: 0,
        queryFn: ({ signal }) =>
          new Promise((resolve, reject) => {
            answerOldRead = resolve;
            signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
          }),
      })
      .catch(() => undefined);
    await replaceQueryData(client, key, { city: 'Saint-Nazaire', version: 2 });
    answerOldRead({ city: 'Nantes', version: 1 });
    await read;
    expect(client.getQueryData(key)).toEqual({ city: 'Saint-Nazaire', version: 2 });
  });

  it('without the cancellation, the late read would win (the race it prevents)', async () => {
    const client = createQueryClient();
    const key = ['patients', 'detail', 'p2'];
    let answerOldRead: (v: unknown) => void = () => {};
    const read = client.fetchQuery({
      queryKey: key,
      staleTime: 0,
      queryFn: () => new Promise((resolve) => (answerOldRead = resolve)),
    });
    client.setQueryData(key, { city: 'Saint-Nazaire', version: 2 });
    answerOldRead({ city: 'Nantes', version: 1 });
    await read;
    expect(client.getQueryData(key)).toEqual({ city: 'Nantes', version: 1 });
  });
});
