import type { Dossier } from '../../dossier/schema.ts';
import type { ApiClient, ClosureResult } from '../api.ts';
import { el, replace } from '../dom.ts';
import { CLOSED_STORE_STATUS } from '../../vocabulary.ts';
import { errorBox, newIdempotencyKey } from './common.ts';

/**
 * The analyst's actions on a ring, through the API's own routes: a dry-run closure that lists
 * what would close, then the closure of exactly those stores; and a referral to an agency.
 *
 * Each action has one Idempotency-Key for as long as what it would send stays the same: a second
 * click, or a retry after a lost answer, repeats the key and the service answers the first answer
 * instead of acting twice. Changing the reason (or the agency, the case) makes it a new action.
 */
export function actionsPanel(api: ApiClient, dossier: Dossier, onChanged: (message: string) => void): HTMLElement {
  return el('div', { class: 'actions' }, closurePanel(api, dossier, onChanged), referralPanel(api, dossier, onChanged));
}

function closurePanel(api: ApiClient, dossier: Dossier, onChanged: (message: string) => void): HTMLElement {
  const open = dossier.members.filter((m) => m.status !== CLOSED_STORE_STATUS).length;
  const reason = el('input', { id: 'closure-reason', name: 'reason', type: 'text', maxlength: '2000', required: true, placeholder: 'why these stores close, e.g. counterfeit ring confirmed by brand' });
  const dryRun = el('button', { type: 'submit', id: 'closure-dry-run' }, 'Dry run: what would close');
  const outcome = el('div', { id: 'closure-outcome', 'aria-live': 'polite' });
  const form = el(
    'form',
    { id: 'closure-form', class: 'action' },
    el('h4', {}, 'Close the ring'),
    el('p', {}, `${open} of ${dossier.members.length} stores are open.`),
    el('label', { for: 'closure-reason' }, 'Reason'),
    reason,
    dryRun,
    outcome,
  );
  let planned: { reason: string; result: ClosureResult; key: string } | null = null;
  reason.addEventListener('input', () => {
    // What was planned no longer matches what would be sent: plan again.
    if (planned && planned.reason !== reason.value.trim()) {
      planned = null;
      replace(outcome);
    }
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = reason.value.trim();
    if (!text) return;
    dryRun.disabled = true;
    try {
      const result = await api.closure(dossier.ringId, newIdempotencyKey(), { dryRun: true, reason: text });
      planned = { reason: text, result, key: newIdempotencyKey() };
      const confirm = el('button', { type: 'button', id: 'closure-confirm', class: 'danger' }, `Close these ${result.sellerIds.length} stores`);
      replace(
        outcome,
        el('p', {}, `Dry run: ${result.sellerIds.length} stores would close, nothing changed yet:`),
        el('ul', { id: 'closure-plan' }, ...result.sellerIds.map((id) => el('li', {}, el('code', {}, id)))),
        confirm,
      );
      confirm.addEventListener('click', async () => {
        if (!planned) return;
        confirm.disabled = true;
        try {
          const done = await api.closure(dossier.ringId, planned.key, { dryRun: false, reason: planned.reason, sellerIds: planned.result.sellerIds });
          planned = null;
          onChanged(`Closed ${done.sellerIds.length} stores (closure ${done.closureId}); the ring is now ${done.status}.`);
        } catch (error) {
          confirm.disabled = false;
          outcome.append(errorBox(error));
        }
      });
    } catch (error) {
      replace(outcome, errorBox(error));
    } finally {
      dryRun.disabled = false;
    }
  });
  return form;
}

function referralPanel(api: ApiClient, dossier: Dossier, onChanged: (message: string) => void): HTMLElement {
  const agency = el('input', { id: 'referral-agency', name: 'agency', type: 'text', maxlength: '64', required: true, placeholder: 'e.g. Shenzhen PSB' });
  const caseReference = el('input', { id: 'referral-case', name: 'caseReference', type: 'text', maxlength: '128', required: true, placeholder: 'the agency’s case reference' });
  const submit = el('button', { type: 'submit', id: 'referral-submit' }, 'Refer to the agency');
  const outcome = el('div', { id: 'referral-outcome', 'aria-live': 'polite' });
  const form = el(
    'form',
    { id: 'referral-form', class: 'action' },
    el('h4', {}, 'Refer to law enforcement'),
    el('p', {}, 'Builds and signs an evidence package that the agency’s keys can download.'),
    el('label', { for: 'referral-agency' }, 'Agency'),
    agency,
    el('label', { for: 'referral-case' }, 'Case reference'),
    caseReference,
    submit,
    outcome,
  );
  let pending: { body: string; key: string } | null = null;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { agency: agency.value.trim(), caseReference: caseReference.value.trim() };
    if (!body.agency || !body.caseReference) return;
    const same = JSON.stringify(body);
    if (pending?.body !== same) pending = { body: same, key: newIdempotencyKey() };
    submit.disabled = true;
    try {
      const referral = await api.referral(dossier.ringId, pending.key, body);
      onChanged(`Referred to ${referral.agency} as ${referral.referralId}; package SHA-256 ${referral.packageSha256}.`);
    } catch (error) {
      replace(outcome, errorBox(error));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
