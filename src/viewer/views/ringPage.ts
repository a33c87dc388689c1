import type { Dossier } from '../../dossier/schema.ts';
import type { ApiClient } from '../api.ts';
import { el, replace, table, type Child } from '../dom.ts';
import { drawRing, type RingDrawing } from '../drawing.ts';
import { layOutRing } from '../layout.ts';
import { HUB_COLOUR, KIND_COLOURS, kindPhrase, STORE_COLOURS } from '../palette.ts';
import { graphFromDossier, graphFromRingGraph, identifiersOf, storesOf, type ViewerGraph } from '../ringGraph.ts';
import { CLOSED_STORE_STATUS } from '../../vocabulary.ts';
import { actionsPanel } from './actions.ts';
import { badge, dateText, errorBox, riskClass, riskText } from './common.ts';

/**
 * `#/rings/{ringId}`: the ring drawn (its stores and the identifiers they share, hubs apart), the
 * evidence of the node in focus, the members, the factors with their sentences, the listings
 * against typical prices, the history, and for an analyst the actions. A brand key sees its
 * masked dossier, drawn from the dossier itself, and no actions.
 */
export function ringPageView(api: ApiClient, ringId: string, flash: string | null, onChanged: (message: string) => void): { element: HTMLElement; dispose: () => void } {
  const page = el('section', { class: 'ring-page', 'aria-busy': 'true' }, el('p', {}, `Loading ${ringId}…`));
  let drawing: RingDrawing | null = null;
  let disposed = false;
  void (async () => {
    try {
      const asked = performance.now();
      const dossier = await api.dossier(ringId);
      // Only an analyst's dossier is unmasked and carries referrals; only an analyst may read the graph route.
      const analyst = !dossier.keysMasked && dossier.referrals !== undefined;
      const graph = analyst ? graphFromRingGraph(await api.graph(ringId)) : graphFromDossier(dossier);
      if (disposed) return;
      const apiMs = performance.now() - asked;
      const layoutMs = layOutRing(graph);
      const canvas = el('div', { id: 'ring-graph', class: 'ring-graph', role: 'img', 'aria-label': `drawing of ring ${ringId}: ${dossier.members.length} stores` });
      const evidence = el('aside', { id: 'evidence', class: 'evidence', 'aria-live': 'polite' }, el('p', { class: 'hint' }, 'Point at a store or an identifier to see its evidence; click to keep it.'));
      replace(
        page,
        flash ? el('p', { id: 'flash', class: 'done', role: 'status' }, flash) : null,
        header(dossier),
        el('div', { class: 'drawing' }, el('div', { class: 'canvas-column' }, canvas, legend()), evidence),
        section('Member stores', 'members', membersTable(dossier)),
        section('Why it is risky', 'factors', factorsList(dossier)),
        analyst ? section('Actions', 'actions', actionsPanel(api, dossier, onChanged)) : el('p', { class: 'note', id: 'no-actions' }, 'This key sees the masked view: identifiers show their last 4 characters, and actions are for analysts.'),
        section('Listings against typical prices', 'listings', listingsTable(dossier)),
        section('Shared identifiers', 'identifiers', identifiersTable(dossier)),
        section('History', 'history', historyList(dossier)),
      );
      page.setAttribute('aria-busy', 'false');
      drawing = drawRing(canvas, graph, (nodeId) => replace(evidence, nodeId === null ? el('p', { class: 'hint' }, 'Point at a store or an identifier to see its evidence; click to keep it.') : evidenceOf(graph, nodeId, dossier)));
      const drawnAt = await drawing.firstFrame;
      // For the bench and the tests: what the first frame waited for.
      canvas.dataset.askedMs = asked.toFixed(1);
      canvas.dataset.apiMs = apiMs.toFixed(1);
      canvas.dataset.layoutMs = layoutMs.toFixed(1);
      canvas.dataset.drawnMs = drawnAt.toFixed(1);
      canvas.dataset.nodes = String(graph.order);
      canvas.classList.add('drawn');
    } catch (error) {
      if (disposed) return;
      replace(page, el('p', {}, el('a', { href: '#/' }, '← all rings')), errorBox(error));
      page.setAttribute('aria-busy', 'false');
    }
  })();
  return {
    element: page,
    dispose: () => {
      disposed = true;
      drawing?.kill();
    },
  };
}

const section = (title: string, id: string, ...content: Child[]) => el('section', { id, class: 'panel' }, el('h3', {}, title), ...content);

function header(d: Dossier): HTMLElement {
  return el(
    'header',
    { class: 'ring-header' },
    el('p', {}, el('a', { href: '#/' }, '← all rings')),
    el('h2', {}, 'Ring ', el('span', { id: 'ring-id' }, d.ringId)),
    el(
      'p',
      { class: 'facts' },
      el('span', { class: `risk ${riskClass(d.riskScore)}` }, `risk ${riskText(d.riskScore)}`),
      ' ',
      d.flagged ? badge('flagged', 'flagged') : badge('not flagged', 'unflagged'),
      ' ',
      badge(d.status, `status-${d.status}`),
      ` · ${d.members.length} stores · brands: ${d.brands.join(', ') || '—'} · first seen ${dateText(d.firstSeen)}, last seen ${dateText(d.lastSeen)}`,
      d.keysMasked ? el('span', { class: 'badge masked' }, 'masked') : null,
    ),
  );
}

function legend(): HTMLElement {
  const item = (colour: string, text: string) => {
    const swatch = el('span', { class: 'swatch' });
    // Through the CSSOM, which the page's style-src 'self' allows (a style attribute it would not).
    swatch.style.backgroundColor = colour;
    return el('li', {}, swatch, text);
  };
  return el(
    'ul',
    { class: 'legend' },
    item(STORE_COLOURS.active!, 'store'),
    item(STORE_COLOURS[CLOSED_STORE_STATUS]!, 'closed store'),
    ...Object.entries(KIND_COLOURS)
      .filter(([kind]) => kind !== 'origin')
      .map(([kind, colour]) => item(colour, kindPhrase(kind))),
    item(HUB_COLOUR, 'hub left out (right)'),
  );
}

function evidenceOf(graph: ViewerGraph, nodeId: string, d: Dossier): HTMLElement {
  const node = graph.getNodeAttributes(nodeId);
  if (node.role === 'store') {
    const listings = d.listings.filter((l) => l.sellerId === node.sellerId);
    return el(
      'div',
      {},
      el('h4', {}, node.label),
      el('p', {}, `${node.sellerId} · `, badge(node.status, node.status === CLOSED_STORE_STATUS ? 'status-closed' : 'status-store')),
      el('p', {}, 'Shares:'),
      el('ul', {}, ...identifiersOf(graph, nodeId).map((i) => el('li', {}, `${kindPhrase(i.kind)} ${i.hub ? '(hub) ' : ''}`, el('code', {}, i.key)))),
      listings.length ? el('p', {}, `${listings.length} listing(s) shown below, e.g. ${listings[0]!.title ?? listings[0]!.listingId} at ${priceText(listings[0]!.price, listings[0]!.currency)}`) : null,
    );
  }
  const stores = storesOf(graph, nodeId);
  return el(
    'div',
    {},
    el('h4', {}, kindPhrase(node.kind), node.hub ? ' (hub, left out of detection)' : ''),
    el('p', {}, el('code', {}, node.key)),
    node.hub
      ? el('p', {}, `Used by ${node.sellerCount ?? 'many'} sellers of the marketplace: too common to tie stores together, so detection left it out.`)
      : el('p', {}, `Shared by ${stores.length} of the ring's stores:`),
    el('ul', {}, ...stores.map((s) => el('li', {}, `${s.label} (${s.sellerId})`))),
  );
}

function membersTable(d: Dossier): HTMLElement {
  return table(
    [
      { title: 'Store', cell: (m) => m.storeName ?? '—' },
      { title: 'Seller id', cell: (m) => el('code', { class: 'seller-id' }, m.sellerId) },
      { title: 'Status', cell: (m) => badge(m.status, m.status === CLOSED_STORE_STATUS ? 'status-closed' : 'status-store') },
      { title: 'Country', cell: (m) => m.country ?? '—' },
      { title: 'Registered', cell: (m) => dateText(m.registeredAt) },
      { title: 'Closed', cell: (m) => dateText(m.closedAt) },
    ],
    d.members,
    { class: 'members' },
  );
}

function factorsList(d: Dossier): HTMLElement {
  return table(
    [
      { title: 'Factor', cell: (f) => f.name.replaceAll('_', ' ') },
      { title: 'Points', cell: (f) => (f.contribution === null ? '—' : f.contribution.toFixed(1)), className: 'num' },
      { title: 'Why', cell: (f) => f.detail ?? '' },
    ],
    [...d.factors].sort((a, b) => (b.contribution ?? 0) - (a.contribution ?? 0)),
    { class: 'factors' },
  );
}

const priceText = (price: number | null, currency: string | null) => (price === null ? '—' : `${price.toFixed(2)} ${currency ?? ''}`.trim());

function listingsTable(d: Dossier): HTMLElement {
  const below = (price: number | null, typical: number | null) => (price === null || typical === null || typical <= 0 ? '—' : `${Math.round((1 - price / typical) * 100)}%`);
  return el(
    'div',
    {},
    table(
      [
        { title: 'Listing', cell: (l) => l.title ?? l.listingId },
        { title: 'Store', cell: (l) => el('code', {}, l.sellerId) },
        { title: 'Brand', cell: (l) => [l.brand, l.category].filter(Boolean).join(' · ') || '—' },
        { title: 'Price', cell: (l) => priceText(l.price, l.currency), className: 'num' },
        { title: 'Typical', cell: (l) => priceText(l.typicalPrice, l.currency), className: 'num' },
        { title: 'Below typical', cell: (l) => below(l.price, l.typicalPrice), className: 'num' },
        { title: 'Verdict', cell: (l) => l.verdict ?? '—' },
      ],
      d.listings,
      { class: 'listings' },
    ),
    d.listingCount > d.listings.length ? el('p', { class: 'note' }, `The first ${d.listings.length} of ${d.listingCount} listings.`) : null,
  );
}

function identifiersTable(d: Dossier): HTMLElement {
  return el(
    'div',
    {},
    table(
      [
        { title: 'Kind', cell: (s) => kindPhrase(s.kind) },
        { title: 'Identifier', cell: (s) => el('code', { class: 'identifier-key' }, s.key) },
        { title: 'Stores', cell: (s) => s.sellerIds.join(', ') },
      ],
      d.sharedIdentifiers,
      { class: 'identifiers' },
    ),
    d.ignoredHubs.length
      ? el('p', { class: 'note' }, 'Hubs left out of detection: ', d.ignoredHubs.map((h) => `${kindPhrase(h.kind)} ${h.key} (${h.sellerCount ?? '?'} sellers, ${h.ringSellers ?? '?'} of this ring)`).join('; '))
      : null,
  );
}

function historyList(d: Dossier): HTMLElement {
  const items: Child[] = [
    ...d.history.map((h) => el('li', {}, `${dateText(h.at)} ${h.type.replaceAll('_', ' ')}`, h.runId ? ` (run ${h.runId})` : '')),
    ...d.closures.map((c) => el('li', {}, `${dateText(c.at)} closure ${c.closureId}: ${c.sellerIds.length} stores${c.reason ? ` — ${c.reason}` : ''}`)),
    ...(d.referrals ?? []).map((r) => el('li', {}, `${dateText(r.createdAt)} referral ${r.referralId} to ${r.agency} (case ${r.caseReference})`)),
  ];
  return items.length ? el('ul', { class: 'history' }, ...items) : el('p', {}, 'No events yet.');
}
