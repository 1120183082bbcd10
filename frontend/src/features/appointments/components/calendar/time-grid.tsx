// SPDX-License-Identifier: Apache-2.0
// A day or week grid of one practitioner's time, in the practice's wall-clock time. Each day is a
// titled list of its entries in time order (appointments, free slots, absences), so keyboard and
// screen-reader users meet them in the order of the day; the grid only places them visually.
import type { CSSProperties, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocale } from '@/lib/i18n';
import { formatDayHeading, formatWallTime } from '@/utils/time-zone';
import { layoutDay, type Span } from './layout';

export interface GridEntry extends Span {
  id: string;
  /** The local date it starts on. */
  date: string;
  kind: 'appointment' | 'slot' | 'absence';
  content: ReactNode;
}

/** Pixels per minute: a 20-minute appointment is 48 px high, above the 44 px touch target. */
const PX_PER_MINUTE = 2.4;

export function TimeGrid({
  days,
  entries,
  open,
  range,
  today,
  label,
}: {
  days: readonly string[];
  entries: readonly GridEntry[];
  /** Opening hours per day (shaded as open). */
  open: (date: string) => readonly Span[];
  range: Span;
  today: string;
  label: string;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const height = (range.end - range.start) * PX_PER_MINUTE;
  const hours: number[] = [];
  for (let m = Math.ceil(range.start / 60) * 60; m < range.end; m += 60) hours.push(m);
  const top = (minutes: number) => (Math.max(minutes, range.start) - range.start) * PX_PER_MINUTE;

  return (
    <div
      className="time-grid"
      role="group"
      aria-label={label}
      style={{ '--tg-days': days.length, '--tg-height': `${height}px` } as CSSProperties}
    >
      <div className="time-grid__axis" aria-hidden="true">
        <div className="time-grid__corner" />
        <div className="time-grid__hours">
          {hours.map((m) => (
            <span key={m} className="time-grid__hour" style={{ top: top(m) }}>
              {formatWallTime(m, locale)}
            </span>
          ))}
        </div>
      </div>
      {days.map((date) => {
        const dayEntries = entries.filter((e) => e.date === date);
        const placed = layoutDay(dayEntries.map((e) => ({ ...e, end: Math.min(e.end, range.end) })));
        const headingId = `tg-${date}`;
        const appointments = dayEntries.filter((e) => e.kind === 'appointment').length;
        return (
          <section
            key={date}
            className={`time-grid__day${date === today ? ' time-grid__day--today' : ''}`}
            aria-labelledby={headingId}
          >
            <h3 id={headingId} className="time-grid__title">
              {formatDayHeading(date, locale, days.length > 1 ? 'short' : 'long')}
              <span className="visually-hidden"> {t('appointments.calendar.dayCount', { count: appointments })}</span>
            </h3>
            <div className="time-grid__body" style={{ height }}>
              {open(date).map((r) => (
                <div
                  key={`${r.start}-${r.end}`}
                  className="time-grid__open"
                  aria-hidden="true"
                  style={{ top: top(r.start), height: top(Math.min(r.end, range.end)) - top(r.start) }}
                />
              ))}
              {hours.map((m) => (
                <div key={m} className="time-grid__line" aria-hidden="true" style={{ top: top(m) }} />
              ))}
              {placed.length === 0 ? (
                <p className="visually-hidden">{t('appointments.calendar.nothing')}</p>
              ) : (
                <ol className="time-grid__entries">
                  {placed.map(({ item, lane, lanes }) => (
                    <li
                      key={item.id}
                      className={`time-grid__entry time-grid__entry--${item.kind}`}
                      style={{
                        top: top(item.start),
                        height: Math.max(top(item.end) - top(item.start), 20),
                        left: `calc(${(lane / lanes) * 100}% + 2px)`,
                        width: `calc(${100 / lanes}% - 4px)`,
                      }}
                    >
                      {item.content}
                    </li>
                  ))}
                </ol>
              )}
            </div>
          </section>
        );
      })}
    </div>
  );
}
