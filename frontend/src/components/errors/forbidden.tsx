// SPDX-License-Identifier: Apache-2.0
// Whole-screen refusals: another role's page (forbidden) and unknown addresses (not found).
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageHeader } from '../layout/page-header';
import { Alert } from '../ui/alert';

function ErrorPage({ title, body }: { title: string; body: string }) {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={title} />
      <Alert
        tone="error"
        actions={
          <Link className="button button--secondary" to="/">
            {t('errors.goHome')}
          </Link>
        }
      >
        {body}
      </Alert>
    </>
  );
}

export function Forbidden() {
  const { t } = useTranslation();
  return <ErrorPage title={t('errors.forbiddenTitle')} body={t('errors.forbiddenBody')} />;
}

export function NotFound() {
  const { t } = useTranslation();
  return <ErrorPage title={t('errors.notFoundTitle')} body={t('errors.notFoundBody')} />;
}
