// SPDX-License-Identifier: Apache-2.0
// The act catalogue for administrators: search (code or label words, inactive codes on request),
// add a code, change its label, price, VAT rate or activity, delete one never invoiced (the
// server refuses an invoiced one: deactivate it instead).
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { AsyncContent, LoadMore } from '@/components/async-content';
import { Alert } from '@/components/ui/alert';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Dialog } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { isApiError } from '@/lib/api-error';
import { errorMessage, fieldErrorMessage } from '@/lib/error-message';
import { useLocale } from '@/lib/i18n';
import { useDebouncedValue } from '@/lib/use-debounced-value';
import { actsQuery, useCreateAct, useDeleteAct, useUpdateAct } from '../api/billing';
import { actSystems, centsToInput, formatMoney, formatRate, parseEuros, type Act, type ActSystem } from '../types';

export function ActCatalogue() {
  const { t } = useTranslation();
  const locale = useLocale();
  const [text, setText] = useState('');
  const [inactive, setInactive] = useState(false);
  const q = useDebouncedValue(text.trim(), 250);
  const query = useInfiniteQuery(actsQuery(q, inactive));
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const [editing, setEditing] = useState<Act | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Act | null>(null);

  return (
    <div className="stack">
      <div className="filters grid">
        <div className="field">
          <label htmlFor="act-search">{t('billing.acts.search')}</label>
          <input
            id="act-search"
            type="search"
            className="input"
            value={text}
            aria-describedby="act-search-hint"
            onChange={(e) => setText(e.target.value)}
          />
          <p id="act-search-hint" className="field__hint">
            {t('billing.acts.searchHint')}
          </p>
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={inactive} onChange={(e) => setInactive(e.target.checked)} />{' '}
          {t('billing.acts.includeInactive')}
        </label>
        <div>
          <button type="button" className="button" onClick={() => setEditing('new')}>
            {t('billing.acts.add')}
          </button>
        </div>
      </div>
      <AsyncContent query={query} isEmpty={items.length === 0} empty={t('billing.acts.empty')}>
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t('billing.acts.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('billing.acts.code')}</th>
                <th scope="col">{t('billing.acts.label')}</th>
                <th scope="col" className="num">
                  {t('billing.acts.price')}
                </th>
                <th scope="col" className="num">
                  {t('billing.acts.vat')}
                </th>
                <th scope="col">{t('billing.acts.state')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('billing.lines.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.code}>
                  <th scope="row">
                    <code>{a.code}</code> <span className="muted small">{a.system}</span>
                  </th>
                  <td>{a.label}</td>
                  <td className="num">{formatMoney(a.price_cents, locale)}</td>
                  <td className="num">{formatRate(a.vat_rate_bp, locale)}</td>
                  <td>
                    <span className={a.active ? 'badge badge--ok' : 'badge badge--muted'}>
                      {a.active ? t('billing.acts.active') : t('billing.acts.inactive')}
                    </span>
                  </td>
                  <td>
                    <div className="button-row">
                      <button
                        type="button"
                        className="button button--secondary button--small"
                        aria-label={t('billing.acts.editOf', { code: a.code })}
                        onClick={() => setEditing(a)}
                      >
                        {t('common.edit')}
                      </button>
                      <button
                        type="button"
                        className="button button--danger button--small"
                        aria-label={t('billing.acts.deleteOf', { code: a.code })}
                        onClick={() => setDeleting(a)}
                      >
                        {t('billing.acts.delete')}
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <LoadMore query={query} label={t('common.loadMore')} />
      </AsyncContent>
      {editing && <ActDialog act={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      {deleting && <DeleteActDialog act={deleting} onClose={() => setDeleting(null)} />}
    </div>
  );
}

function ActDialog({ act, onClose }: { act: Act | null; onClose: () => void }) {
  const { t } = useTranslation();
  const create = useCreateAct();
  const update = useUpdateAct();
  const [code, setCode] = useState(act?.code ?? '');
  const [system, setSystem] = useState<ActSystem>(act?.system ?? 'NGAP');
  const [label, setLabel] = useState(act?.label ?? '');
  const [price, setPrice] = useState(act ? centsToInput(act.price_cents) : '');
  const [vat, setVat] = useState(act ? String(act.vat_rate_bp / 100).replace('.', ',') : '0');
  const [active, setActive] = useState(act?.active ?? true);
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const busy = create.isPending || update.isPending;

  const submit = async () => {
    const next: Record<string, string | undefined> = {};
    const cents = parseEuros(price);
    const vatNum = Number(vat.replace(',', '.'));
    if (!act && !code.trim()) next.code = t('validation.required');
    if (!label.trim()) next.label = t('validation.required');
    if (cents === null) next.price_cents = t('billing.lines.badPrice');
    if (!Number.isFinite(vatNum) || vatNum < 0 || vatNum > 100) next.vat_rate_bp = t('billing.acts.badVat');
    setErrors(next);
    if (Object.values(next).some(Boolean) || cents === null) return;
    const vatBp = Math.round(vatNum * 100);
    try {
      if (act) {
        await update.mutateAsync({
          code: act.code,
          version: act.version,
          patch: { label: label.trim(), price_cents: cents, vat_rate_bp: vatBp, active },
        });
      } else {
        await create.mutateAsync({
          code: code.trim().toUpperCase(),
          system,
          label: label.trim(),
          price_cents: cents,
          vat_rate_bp: vatBp,
          active,
        });
      }
      toast.success(t('billing.acts.saved'));
      onClose();
    } catch (e) {
      if (!isApiError(e)) throw e;
      const server: Record<string, string | undefined> = {};
      for (const fe of e.fieldErrors) server[fe.field.replace(/^\//, '')] = fieldErrorMessage(t, fe);
      setErrors(server);
      setFormError(errorMessage(t, e));
    }
  };

  return (
    <Dialog
      open
      title={act ? t('billing.acts.editTitle', { code: act.code }) : t('billing.acts.add')}
      onClose={onClose}
    >
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        {formError && <Alert tone="error">{formError}</Alert>}
        {!act && (
          <div className="grid">
            <Field label={t('billing.acts.code')} error={errors.code} required>
              <input className="input" value={code} maxLength={16} onChange={(e) => setCode(e.target.value)} />
            </Field>
            <Field label={t('billing.acts.system')} required>
              <select className="input" value={system} onChange={(e) => setSystem(e.target.value as ActSystem)}>
                {actSystems.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </Field>
          </div>
        )}
        <Field label={t('billing.acts.label')} error={errors.label} required>
          <input className="input" value={label} maxLength={500} onChange={(e) => setLabel(e.target.value)} />
        </Field>
        <div className="grid">
          <Field label={t('billing.acts.priceEuros')} error={errors.price_cents} required>
            <input
              className="input input--number"
              inputMode="decimal"
              value={price}
              onChange={(e) => setPrice(e.target.value)}
            />
          </Field>
          <Field label={t('billing.acts.vatPercent')} error={errors.vat_rate_bp} required>
            <input
              className="input input--number"
              inputMode="decimal"
              value={vat}
              onChange={(e) => setVat(e.target.value)}
            />
          </Field>
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />{' '}
          {t('billing.acts.active')}
        </label>
        <div className="form__actions">
          <button type="submit" className="button" disabled={busy}>
            {busy ? t('common.saving') : t('common.save')}
          </button>
          <button type="button" className="button button--secondary" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function DeleteActDialog({ act, onClose }: { act: Act; onClose: () => void }) {
  const { t } = useTranslation();
  const remove = useDeleteAct();
  const [error, setError] = useState<string | null>(null);
  return (
    <ConfirmDialog
      open
      danger
      title={t('billing.acts.deleteTitle', { code: act.code })}
      confirmLabel={t('billing.acts.delete')}
      busy={remove.isPending}
      error={error}
      onClose={onClose}
      onConfirm={() =>
        void remove.mutateAsync(act.code).then(
          () => {
            toast.success(t('billing.acts.deleted'));
            onClose();
          },
          (e: unknown) =>
            setError(isApiError(e) && e.status === 409 ? t('billing.acts.invoicedCannotDelete') : errorMessage(t, e)),
        )
      }
    >
      <p>{t('billing.acts.deleteBody')}</p>
    </ConfirmDialog>
  );
}
