import type { ApiClient, RingSummary } from '../api.ts';
import { el, replace, table } from '../dom.ts';
import { listFragment, ringFragment, type ListFilters } from '../fragment.ts';
import { RING_STATUSES } from '../../vocabulary.ts';
import { badge, errorBox, riskClass, riskText } from './common.ts';

/**
 * `#/`: rings ranked by risk as `GET /v1/rings` gives them, a page at a time, with the filters the
 * route takes (flagged, brand, status) kept in the fragment so that a reload or a shared link
 * shows the same list.
 */
export function ringListView(api: ApiClient, filters: ListFilters): HTMLElement {
  const flagged = el(
    'select',
    { id: 'filter-flagged', name: 'flagged' },
    el('option', { value: '' }, 'flagged or not'),
    el('option', { value: 'true', selected: filters.flagged === 'true' }, 'flagged only'),
    el('option', { value: 'false', selected: filters.flagged === 'false' }, 'not flagged'),
  );
  const brand = el('input', { id: 'filter-brand', name: 'brand', type: 'text', placeholder: 'any brand', value: filters.brand ?? '' });
  const status = el(
    'select',
    { id: 'filter-status', name: 'status' },
    el('option', { value: '' }, 'any status'),
    ...RING_STATUSES.map((s) => el('option', { value: s, selected: filters.status === s }, s)),
  );
  const form = el(
    'form',
    { class: 'filters', id: 'filters' },
    el('label', {}, 'Show ', flagged),
    el('label', {}, 'brand ', brand),
    el('label', {}, 'status ', status),
    el('button', { type: 'submit' }, 'Filter'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next: ListFilters = {};
    if (flagged.value === 'true' || flagged.value === 'false') next.flagged = flagged.value;
    if (brand.value.trim()) next.brand = brand.value.trim();
    if (status.value) next.status = status.value;
    location.hash = listFragment(next);
  });

  const results = el('div', { id: 'ring-list', 'aria-busy': 'true' }, el('p', {}, 'Loading rings…'));
  const more = el('button', { type: 'button', id: 'more', hidden: true }, 'More rings');
  let cursor: string | null = null;
  let rank = 0;
  const rows: RingSummary[] = [];

  const columns = [
    { title: '#', cell: (r: RingSummary) => String(rows.indexOf(r) + 1), className: 'num' },
    { title: 'Ring', cell: (r: RingSummary) => el('a', { href: ringFragment(r.ringId), class: 'ring-link' }, r.ringId) },
    { title: 'Risk', cell: (r: RingSummary) => el('span', { class: `risk ${riskClass(r.riskScore)}` }, riskText(r.riskScore)), className: 'num' },
    { title: 'Flagged', cell: (r: RingSummary) => (r.flagged ? badge('flagged', 'flagged') : '—') },
    { title: 'Stores', cell: (r: RingSummary) => (r.size === null ? '—' : String(r.size)), className: 'num' },
    { title: 'Brands', cell: (r: RingSummary) => (r.brands.length ? r.brands.join(', ') : '—') },
    { title: 'Status', cell: (r: RingSummary) => badge(r.status, `status-${r.status}`) },
  ];

  const load = async () => {
    more.disabled = true;
    try {
      const page = await api.rings(filters, cursor);
      rows.push(...page.items);
      rank += page.items.length;
      cursor = page.nextCursor;
      replace(results, rank === 0 ? el('p', {}, 'No rings match.') : table(columns, rows, { class: 'rings' }));
      more.hidden = cursor === null;
    } catch (error) {
      replace(results, errorBox(error));
    } finally {
      results.setAttribute('aria-busy', 'false');
      more.disabled = false;
    }
  };
  more.addEventListener('click', () => void load());
  void load();
  return el('section', { class: 'ring-list-page' }, el('h2', {}, 'Rings by risk'), form, results, more);
}
