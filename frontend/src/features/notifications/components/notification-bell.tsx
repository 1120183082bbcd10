// SPDX-License-Identifier: Apache-2.0
// The notification area of the shell: a bell with the unread count, and a panel with the latest
// notifications (mark one or all read, open what one is about). It is a disclosure: the button
// says whether the panel is open, Escape closes it and gives the focus back.
import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useLocale } from '@/lib/i18n';
import { formatDateTime } from '@/utils/format';
import { latestNotificationsQuery, useMarkAllRead, useMarkRead, type Notification } from '../api/notifications';

const cache = new Map<string, Intl.DateTimeFormat>();
function formatWhen(iso: string, locale: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  let f = cache.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short' });
    cache.set(locale, f);
  }
  return f.format(d);
}

const known = [
  'appointment_booked',
  'appointment_rescheduled',
  'appointment_cancelled',
  'appointment_checked_in',
  'records_encounter_signed',
  'export_ready',
  'report_ready',
  'document_added',
  'lab_result_added',
] as const;

/** A notification in words, in the user's language (the server sends a kind and its data). */
export function notificationText(t: TFunction, n: Pick<Notification, 'kind' | 'data'>, locale: string): string {
  const key = n.kind.replaceAll('.', '_');
  const instant = n.data.start ?? n.data.occurred_at;
  const when = typeof instant === 'string' ? formatWhen(instant, locale) : '';
  return (known as readonly string[]).includes(key)
    ? t(`notifications.kinds.${key as (typeof known)[number]}`, { when })
    : t('notifications.kinds.other');
}

export function NotificationBell({ linkFor }: { linkFor?: ((n: Notification) => string | null) | undefined }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const root = useRef<HTMLDivElement>(null);
  const query = useQuery(latestNotificationsQuery);
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();
  const unread = query.data?.unread ?? 0;
  const items = query.data?.items ?? [];

  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener('pointerdown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  return (
    <div className="notif" ref={root}>
      <button
        ref={button}
        type="button"
        className="button button--secondary button--small notif__button"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={t('notifications.bell', { count: unread })}
        onClick={() => setOpen((v) => !v)}
      >
        <svg aria-hidden="true" width="18" height="18" viewBox="0 0 24 24" fill="currentColor">
          <path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z" />
        </svg>
        {unread > 0 && (
          <span className="notif__count" data-testid="notification-count">
            {unread}
          </span>
        )}
      </button>
      <span className="visually-hidden" aria-live="polite">
        {unread > 0 ? t('notifications.bell', { count: unread }) : ''}
      </span>
      {open && (
        <div id={panelId} className="notif__panel" role="region" aria-label={t('notifications.title')}>
          <div className="notif__head">
            <h2 className="notif__title">{t('notifications.title')}</h2>
            <button
              type="button"
              className="button button--link button--small"
              disabled={unread === 0 || markAll.isPending}
              onClick={() => markAll.mutate()}
            >
              {t('notifications.markAll')}
            </button>
          </div>
          {items.length === 0 ? (
            <p className="muted">{query.isPending ? t('common.loading') : t('notifications.empty')}</p>
          ) : (
            <ul className="notif__list">
              {items.map((n) => {
                const text = notificationText(t, n, locale);
                const to = linkFor?.(n) ?? null;
                return (
                  <li key={n.id} className={n.read_at ? 'notif__item' : 'notif__item notif__item--unread'}>
                    <p className="notif__text">
                      {!n.read_at && <span className="visually-hidden">{t('notifications.unread')} : </span>}
                      {text}
                    </p>
                    <p className="muted small">
                      <time dateTime={n.created_at}>{formatDateTime(n.created_at, locale)}</time>
                    </p>
                    <div className="button-row">
                      {to && (
                        <Link
                          to={to}
                          className="button button--secondary button--small"
                          onClick={() => {
                            if (!n.read_at) markRead.mutate(n.id);
                            setOpen(false);
                          }}
                        >
                          {t('notifications.open')}
                        </Link>
                      )}
                      {!n.read_at && (
                        <button
                          type="button"
                          className="button button--link button--small"
                          onClick={() => markRead.mutate(n.id)}
                        >
                          {t('notifications.markRead')}
                        </button>
                      )}
                    </div>
                  </li>
                );
              })}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
