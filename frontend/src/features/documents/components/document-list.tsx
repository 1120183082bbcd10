// SPDX-License-Identifier: Apache-2.0
// A patient's documents, newest first, filtered by category: an image's thumbnail, the title,
// category, size and date, and a download for those the caller may open (secretaries do not open
// clinical documents: the line says so instead). Administrators may withdraw a document.
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { AsyncContent, LoadMore } from '@/components/async-content';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { errorMessage, toastError } from '@/lib/error-message';
import { useLocale } from '@/lib/i18n';
import { formatDateTime } from '@/utils/format';
import { documentsQuery, downloadDocument, thumbnailQuery, useWithdrawDocument } from '../api/documents';
import { categories, isClinical, type Category, type Document } from '../types';

export function formatSize(bytes: number, locale: string): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
  let n = bytes;
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: units[u],
    unitDisplay: 'short',
    maximumFractionDigits: u === 0 ? 0 : 1,
  }).format(n);
}

export function DocumentList({
  patientId,
  canOpenClinical,
  canWithdraw = false,
}: {
  patientId: string;
  /** Doctors, nurses and the patient open every document listed; other staff only non-clinical ones. */
  canOpenClinical: boolean;
  canWithdraw?: boolean;
}) {
  const { t } = useTranslation();
  const [category, setCategory] = useState<Category | 'all'>('all');
  const query = useInfiniteQuery(documentsQuery(patientId, category));
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const [withdrawing, setWithdrawing] = useState<Document | null>(null);
  return (
    <div className="stack">
      <div className="field">
        <label htmlFor="document-category-filter">{t('documents.category')}</label>
        <select
          id="document-category-filter"
          className="input"
          value={category}
          onChange={(e) => setCategory(e.target.value as Category | 'all')}
        >
          <option value="all">{t('common.all')}</option>
          {categories.map((c) => (
            <option key={c} value={c}>
              {t(`documents.categories.${c}`)}
            </option>
          ))}
        </select>
      </div>
      <AsyncContent query={query} isEmpty={items.length === 0} empty={t('documents.empty')}>
        <ul className="document-list" aria-label={t('documents.listLabel')}>
          {items.map((d) => (
            <DocumentItem
              key={d.id}
              document={d}
              canOpen={canOpenClinical || !isClinical(d.category)}
              onWithdraw={canWithdraw && !d.deleted_at ? () => setWithdrawing(d) : undefined}
            />
          ))}
        </ul>
        <LoadMore query={query} label={t('common.loadMore')} />
      </AsyncContent>
      {withdrawing && (
        <WithdrawDialog patientId={patientId} document={withdrawing} onClose={() => setWithdrawing(null)} />
      )}
    </div>
  );
}

function DocumentItem({
  document: d,
  canOpen,
  onWithdraw,
}: {
  document: Document;
  canOpen: boolean;
  onWithdraw?: (() => void) | undefined;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    try {
      await downloadDocument(d.id, d.filename);
    } catch (e) {
      toastError(t, e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className="document-item">
      <div className="document-item__thumb" aria-hidden={!(canOpen && d.has_thumbnail)}>
        {canOpen && d.has_thumbnail ? (
          <Thumbnail document={d} />
        ) : (
          <span className="document-item__type">{typeLabel(d)}</span>
        )}
      </div>
      <div className="document-item__body">
        <strong>{d.title}</strong>
        <span className="badge badge--muted">{t(`documents.categories.${d.category}`)}</span>
        {d.deleted_at && <span className="badge badge--warning">{t('documents.withdrawn')}</span>}
        <p className="muted small">
          {d.filename} · {formatSize(d.size, locale)} ·{' '}
          <time dateTime={d.uploaded_at}>{formatDateTime(d.uploaded_at, locale)}</time> ·{' '}
          {t(`roles.${d.uploaded_by_role}` as 'roles.nurse', { defaultValue: d.uploaded_by_role })}
          {!d.visible_to_patient && ` · ${t('documents.hiddenFromPatient')}`}
        </p>
        {!canOpen && <p className="muted small">{t('documents.clinicalRestricted')}</p>}
      </div>
      <div className="document-item__actions">
        {canOpen && !d.deleted_at && (
          <button
            type="button"
            className="button button--secondary button--small"
            disabled={busy}
            onClick={() => void download()}
            aria-label={t('documents.downloadNamed', { title: d.title })}
          >
            {busy ? t('common.loading') : t('documents.download')}
          </button>
        )}
        {onWithdraw && (
          <button type="button" className="button button--danger button--small" onClick={onWithdraw}>
            {t('documents.withdraw')}
          </button>
        )}
      </div>
    </li>
  );
}

function typeLabel(d: Document): string {
  if (d.content_type.startsWith('application/pdf')) return 'PDF';
  if (d.content_type.startsWith('image/')) return d.content_type.slice(6).toUpperCase();
  if (d.content_type.startsWith('application/dicom')) return 'DICOM';
  if (d.content_type.startsWith('text/')) return 'TXT';
  return '—';
}

function Thumbnail({ document: d }: { document: Document }) {
  const { t } = useTranslation();
  const query = useQuery(thumbnailQuery(d.id));
  const blob = query.data;
  const url = useMemo(() => (blob ? URL.createObjectURL(blob) : null), [blob]);
  useEffect(
    () => () => {
      if (url) URL.revokeObjectURL(url);
    },
    [url],
  );
  if (!url) return <span className="document-item__type">{typeLabel(d)}</span>;
  return <img src={url} alt={t('documents.thumbnailOf', { title: d.title })} className="document-item__img" />;
}

function WithdrawDialog({
  patientId,
  document: d,
  onClose,
}: {
  patientId: string;
  document: Document;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const withdraw = useWithdrawDocument(patientId);
  const [error, setError] = useState<string | null>(null);
  return (
    <ConfirmDialog
      open
      danger
      title={t('documents.withdrawTitle', { title: d.title })}
      confirmLabel={t('documents.withdraw')}
      busy={withdraw.isPending}
      error={error}
      onClose={onClose}
      onConfirm={() =>
        void withdraw.mutateAsync(d.id).then(
          () => {
            toast.success(t('documents.withdrawnToast'));
            onClose();
          },
          (e: unknown) => setError(errorMessage(t, e)),
        )
      }
    >
      <p>{t('documents.withdrawBody')}</p>
    </ConfirmDialog>
  );
}
