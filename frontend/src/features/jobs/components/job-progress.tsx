// SPDX-License-Identifier: Apache-2.0
// A background job's progress, for any long operation (exports, reports): its state in words
// (announced politely as it changes), a busy bar while it runs, then the download of its result,
// which works once, or why it failed.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorState } from '@/components/errors/error-state';
import { Alert } from '@/components/ui/alert';
import { errorMessage } from '@/lib/error-message';
import { useLocale } from '@/lib/i18n';
import { formatNumber } from '@/utils/format';
import { isFinished, jobQuery, useDownloadJobResult } from '../api/jobs';

export function useFormatSize() {
  const { t } = useTranslation();
  const locale = useLocale();
  return (bytes: number) => {
    if (bytes < 1024) return t('notifications.jobs.bytes', { value: formatNumber(bytes, locale) });
    if (bytes < 1024 * 1024)
      return t('notifications.jobs.kilobytes', { value: formatNumber(Math.round(bytes / 102.4) / 10, locale) });
    return t('notifications.jobs.megabytes', {
      value: formatNumber(Math.round(bytes / (1024 * 102.4)) / 10, locale),
    });
  };
}

export function JobProgress({ jobId }: { jobId: string }) {
  const { t } = useTranslation();
  const query = useQuery(jobQuery(jobId));
  const download = useDownloadJobResult();
  const formatSize = useFormatSize();

  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const job = query.data;
  const status = job?.status ?? 'pending';
  const running = !isFinished(status);

  return (
    <div className="job card stack">
      <p role="status" className="job__status">
        {t('notifications.jobs.progress', { status: t(`notifications.jobs.status.${status}`) })}
        {job && job.attempts > 1 && (
          <span className="muted small">
            {' '}
            · {t('notifications.jobs.attempt', { attempts: job.attempts, max: job.max_attempts })}
          </span>
        )}
      </p>
      {running && <progress className="job__bar" aria-label={t(`notifications.jobs.status.${status}`)} />}
      {status === 'dead' && <Alert tone="error">{t('notifications.jobs.failed')}</Alert>}
      {status === 'succeeded' && job?.download && !job.download.taken && (
        <div className="button-row">
          <button
            type="button"
            className="button"
            disabled={download.isPending}
            onClick={() => job.download && download.mutate({ id: job.id, filename: job.download.filename })}
          >
            {t('notifications.jobs.download', {
              filename: job.download.filename,
              size: formatSize(job.download.size),
            })}
          </button>
        </div>
      )}
      {download.isError && <Alert tone="error">{errorMessage(t, download.error)}</Alert>}
      {status === 'succeeded' && job?.download?.taken && (
        <Alert tone={download.isSuccess ? 'success' : 'info'}>
          {download.isSuccess ? t('notifications.jobs.downloaded') : t('notifications.jobs.taken')}
        </Alert>
      )}
    </div>
  );
}
