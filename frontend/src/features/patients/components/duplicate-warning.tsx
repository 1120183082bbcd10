// SPDX-License-Identifier: Apache-2.0
// The server found probable duplicates (409 patient.possible_duplicate): show them, so the user
// opens the existing record or states that this is a different person.
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Alert } from '@/components/ui/alert';
import { formatDate } from '@/utils/format';
import { fullName, type DuplicateCandidate } from '../types';
import { useLocale } from '@/lib/i18n';

export function DuplicateWarning({
  candidates,
  onRegisterAnyway,
  busy,
}: {
  candidates: DuplicateCandidate[];
  onRegisterAnyway: () => void;
  busy: boolean;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <Alert
      tone="warning"
      title={t('patients.duplicateTitle')}
      actions={
        <button type="button" className="button button--secondary" disabled={busy} onClick={onRegisterAnyway}>
          {t('patients.registerAnyway')}
        </button>
      }
    >
      <p>{t('patients.duplicateBody')}</p>
      <ul className="candidate-list">
        {candidates.map((c) => (
          <li key={c.id} className="candidate">
            <div>
              <strong>{fullName(c)}</strong>
              <span className="muted">
                {' '}
                · {t('patients.born', { date: formatDate(c.birth_date, locale) })} · {t('patients.mrn')} {c.mrn}
              </span>
              <span className="badge badge--warning">
                {t(`patients.duplicateReason.${c.reason}` as 'patients.duplicateReason.same_nir', {
                  defaultValue: c.reason,
                })}
              </span>
            </div>
            <Link className="button button--small" to={`/patients/${c.id}`}>
              {t('patients.openExisting')}
            </Link>
          </li>
        ))}
      </ul>
    </Alert>
  );
}
