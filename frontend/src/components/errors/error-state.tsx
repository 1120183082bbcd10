// SPDX-License-Identifier: Apache-2.0
// What a screen shows when its data could not be loaded: forbidden, not found (which is also
// what another patient's record answers), unreachable server, or anything else with its reference.
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isApiError } from '@/lib/api-error';
import { errorMessage } from '@/lib/error-message';
import { Alert } from '../ui/alert';

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const api = isApiError(error) ? error : null;
  const retry = onRetry && (
    <button type="button" className="button button--secondary" onClick={onRetry}>
      {t('common.retry')}
    </button>
  );
  if (api?.isForbidden) {
    return (
      <Alert tone="error" title={t('errors.forbiddenTitle')} actions={<HomeLink />}>
        {api.code === 'role_not_allowed' ? t('errors.forbiddenBody') : errorMessage(t, api)}
      </Alert>
    );
  }
  if (api?.isNotFound) {
    return (
      <Alert tone="error" title={t('errors.notFoundTitle')} actions={<HomeLink />}>
        {t('errors.notFoundBody')}
      </Alert>
    );
  }
  if (api?.isNetwork) {
    return (
      <Alert tone="error" title={t('errors.networkTitle')} actions={retry}>
        {t('errors.networkBody')}
      </Alert>
    );
  }
  return (
    <Alert tone="error" title={api ? errorMessage(t, api) : t('errors.title')} actions={retry}>
      <p>{t('errors.unexpectedBody')}</p>
      {api?.instance && <p className="muted">{t('errors.reference', { id: api.instance })}</p>}
    </Alert>
  );
}

function HomeLink() {
  const { t } = useTranslation();
  return (
    <Link className="button button--secondary" to="/">
      {t('errors.goHome')}
    </Link>
  );
}
