// SPDX-License-Identifier: Apache-2.0
import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { notificationsDb } from '@/testing/mocks/handlers/notifications';
import { server } from '@/testing/mocks/server';
import { renderApp } from '@/testing/test-utils';
import { JobProgress } from './job-progress';

const JOB_ID = '60000000-0000-4000-8000-000000000001';

describe('JobProgress', () => {
  it('follows the job until its file is ready, then downloads it once', async () => {
    const createObjectURL = vi.fn(() => 'blob:export');
    const revokeObjectURL = vi.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    const { user } = renderApp(<JobProgress jobId={JOB_ID} />);
    expect(await screen.findByText(/^Preparing: Waiting/)).toBeInTheDocument();
    const download = await screen.findByRole(
      'button',
      { name: /^Download medisecure-export\.zip \(16[.,]8 kB\)$/ },
      { timeout: 5000 },
    );
    expect(screen.getByText(/^Preparing: Ready/)).toBeInTheDocument();
    expect(notificationsDb.polls).toBeGreaterThanOrEqual(3);
    await user.click(download);
    expect(await screen.findByText('File downloaded. It is no longer kept on the server.')).toBeInTheDocument();
    expect(createObjectURL).toHaveBeenCalledTimes(1);
    expect(click).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('button', { name: /^Download/ })).not.toBeInTheDocument();
    click.mockRestore();
  });

  it('says when the job failed for good', async () => {
    server.use(
      http.get('*/api/v1/jobs/:id', () =>
        HttpResponse.json({
          id: JOB_ID,
          type: 'patients.export',
          status: 'dead',
          attempts: 3,
          max_attempts: 3,
          created_at: '2026-11-24T07:00:00Z',
          updated_at: '2026-11-24T07:00:01Z',
          error: 'the archive could not be written',
          download: null,
        }),
      ),
    );
    renderApp(<JobProgress jobId={JOB_ID} />);
    expect(await screen.findByRole('alert')).toHaveTextContent('The operation failed.');
    expect(screen.getByText(/^Preparing: Failed/)).toHaveTextContent('Preparing: Failed · Attempt 3 of 3');
  });
});
