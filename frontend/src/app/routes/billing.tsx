// SPDX-License-Identifier: Apache-2.0
// /billing (accountant): the billing module arrives with the server's billing context.
import { useTranslation } from 'react-i18next';
import { ComingSoon } from '@/components/coming-soon';
import { PageHeader } from '@/components/layout/page-header';

export function BillingRoute() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('billing.title')} />
      <ComingSoon module="billing" />
    </>
  );
}
