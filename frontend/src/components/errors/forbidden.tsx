// SPDX-License-Identifier: Apache-2.0
// The screen a role gets when it opens another role's page.
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageHeader } from '../layout/page-header';
import { Alert } from '../ui/alert';

export function Forbidden() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('errors.forbiddenTitle')} />
      <Alert
        tone="error"
        actions={
          <Link className="button button--secondary" to="/">
            {t('errors.goHome')}
          </Link>
        }
      >
        {t('errors.forbiddenBody')}
      </Alert>
    </>
  );
}

export function NotFound() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('errors.notFoundTitle')} />
      <Alert
        tone="error"
        actions={
          <Link className="button button--secondary" to="/">
            {t('errors.goHome')}
          </Link>
        }
      >
        {t('errors.notFoundBody')}
      </Alert>
    </>
  );
}
