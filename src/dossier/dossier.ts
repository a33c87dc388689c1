import type { Db, Row, TxMeta } from '../graph/db.ts';
import { int } from '../graph/db.ts';
import type { Dossier, RingGraph } from './schema.ts';
import { brandKey, KIND_OF_LABEL } from '../vocabulary.ts';
import { parseEvidence } from '../alerts/alertStore.ts';

/** Who reads a dossier decides what it shows: a brand sees its own brand's listings and masked keys. */
export interface DossierViewer {
  /** Set for brand keys: only rings and listings of this brand. */
  brandKey: string | null;
  /** Identifier keys show their last 4 characters only. */
  maskKeys: boolean;
  /** Closure reasons and referrals are for analysts (and the police package). */
  internal: boolean;
}

export const ANALYST_VIEW: DossierViewer = { brandKey: null, maskKeys: false, internal: true };

/**
 * The brands of a ring a viewer may see: all of them for an analyst, only its own for a brand (which
 * other brands a ring counterfeits is another brand's business, and a hint at their cases).
 */
export function brandsVisibleTo(brands: readonly unknown[], viewerBrandKey: string | null): string[] {
  const names = brands.map(String);
  return viewerBrandKey === null ? names : names.filter((name) => brandKey(name) === viewerBrandKey);
}

/** `****` and the last 4 characters: enough to match against one's own records, not to use. */
export function maskKey(key: string): string {
  return `****${key.length > 4 ? key.slice(-4) : ''}`;
}

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string') return text ?? null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function parseFactors(text: unknown): Dossier['factors'] {
  const parsed = parseJson(text);
  if (!Array.isArray(parsed)) return [];
  return parsed
    .filter((f): f is Record<string, unknown> => f !== null && typeof f === 'object')
    .map((f) => ({
      name: String(f.name ?? ''),
      contribution: num(f.contribution),
      detail: f.detail === undefined || f.detail === null ? null : typeof f.detail === 'string' ? f.detail : JSON.stringify(f.detail),
    }));
}

interface SharedIdentifierRow {
  kind: Dossier['sharedIdentifiers'][number]['kind'];
  key: string;
  sellerIds: string[];
  links: { sellerId: string; type: string }[];
}

interface HubRow {
  kind: Dossier['ignoredHubs'][number]['kind'];
  key: string;
  sellerCount: number | null;
  ringSellers: number | null;
  links: { sellerId: string; type: string }[];
}

/** The kind an identifier node is shown as, from its labels; `other` for a node of no identifier label. */
function shownKind(labels: unknown): SharedIdentifierRow['kind'] {
  for (const label of labels as string[]) {
    const kind = KIND_OF_LABEL[label];
    if (kind) return kind as SharedIdentifierRow['kind'];
  }
  return 'other';
}

function toShared(row: Row): SharedIdentifierRow {
  return {
    kind: shownKind(row.labels),
    key: String(row.key),
    sellerIds: [...(row.sellerIds as string[])].sort(),
    links: row.links as SharedIdentifierRow['links'],
  };
}

function toHub(row: Row): HubRow {
  return {
    kind: shownKind(row.labels),
    key: String(row.key),
    sellerCount: num(row.sellerCount),
    ringSellers: num(row.ringSellers),
    links: row.links as HubRow['links'],
  };
}

const byKindKey = (a: { kind: string; key: string }, b: { kind: string; key: string }) => a.kind.localeCompare(b.kind) || a.key.localeCompare(b.key);

/**
 * A ring as cypher/http/ring-dossier.cypher reads it: one statement, so one read transaction
 * and one round trip, whose parts (members, identifiers, listings, history) agree. Null when
 * there is no such ring or the viewer may not see it.
 */
async function readRing(db: Db, ringId: string, viewer: DossierViewer, listingLimit: number, meta: TxMeta): Promise<Row | null> {
  const [ring] = await db.read('http/ring-dossier', { ringId, brandKey: viewer.brandKey, internal: viewer.internal, limit: int(listingLimit) }, meta);
  return ring ?? null;
}

const rows = (value: unknown): Row[] => (Array.isArray(value) ? (value as Row[]) : []);

/** The dossier of one ring as `viewer` may see it; null when there is no such ring or the viewer may not see it. */
export async function loadDossier(db: Db, ringId: string, viewer: DossierViewer, listingLimit: number, meta: TxMeta): Promise<Dossier | null> {
  const ring = await readRing(db, ringId, viewer, listingLimit, meta);
  return ring ? dossierOf(ring, viewer) : null;
}

/** The ring for drawing (no listings read); null when there is no such ring. */
export async function loadRingGraph(db: Db, ringId: string, meta: TxMeta): Promise<RingGraph | null> {
  const ring = await readRing(db, ringId, { brandKey: null, maskKeys: false, internal: false }, 0, meta);
  return ring ? ringGraphOf(ring) : null;
}

/** The analyst's dossier and the drawing of one ring from the same read (a referral's package holds both, and they must agree). */
export async function loadDossierAndGraph(db: Db, ringId: string, listingLimit: number, meta: TxMeta): Promise<{ dossier: Dossier; graph: RingGraph } | null> {
  const ring = await readRing(db, ringId, ANALYST_VIEW, listingLimit, meta);
  return ring ? { dossier: dossierOf(ring, ANALYST_VIEW), graph: ringGraphOf(ring) } : null;
}

function dossierOf(ring: Row, viewer: DossierViewer): Dossier {
  const members = rows(ring.members);
  const shared = rows(ring.shared).map(toShared).sort(byKindKey);
  const hubs = rows(ring.hubs).map(toHub).sort(byKindKey);
  const listings = rows(ring.listings);
  const typical = new Map<string, number>();
  for (const row of rows(ring.typicalPrices)) {
    const price = num(row.typicalPrice);
    if (price !== null) typical.set(JSON.stringify({ brandKey: row.brandKey, category: row.category, currency: row.currency }), price);
  }
  const history = rows(ring.history);
  const closures = rows(ring.closures);
  const referrals = viewer.internal ? rows(ring.referrals) : [];
  const mask = (key: string) => (viewer.maskKeys ? maskKey(key) : key);
  return {
    ringId: String(ring.ringId),
    riskScore: Number(ring.riskScore),
    flagged: Boolean(ring.flagged),
    size: num(ring.size),
    brands: brandsVisibleTo(ring.brands as unknown[], viewer.brandKey),
    status: String(ring.status),
    active: Boolean(ring.active),
    firstSeen: str(ring.firstSeen),
    lastSeen: str(ring.lastSeen),
    members: members.map((m) => ({
      sellerId: String(m.sellerId),
      storeName: str(m.storeName),
      status: String(m.status),
      country: str(m.country),
      registeredAt: str(m.registeredAt),
      closedAt: str(m.closedAt),
    })),
    factors: parseFactors(ring.factors),
    sharedIdentifiers: shared.map((s) => ({ kind: s.kind, key: mask(s.key), sellerIds: s.sellerIds })),
    ignoredHubs: hubs.map((h) => ({ kind: h.kind, key: mask(h.key), sellerCount: h.sellerCount, ringSellers: h.ringSellers })),
    listings: listings.map((l) => ({
      listingId: String(l.listingId),
      sellerId: String(l.sellerId),
      title: str(l.title),
      brand: str(l.brand),
      category: str(l.category),
      price: num(l.price),
      currency: str(l.currency),
      typicalPrice: typical.get(JSON.stringify({ brandKey: l.brandKey, category: l.category, currency: l.currency })) ?? null,
      verdict: str(l.verdict),
    })),
    listingCount: Number(ring.listingCount ?? 0),
    history: history.map((h) => ({
      type: String(h.type),
      runId: str(h.runId),
      at: str(h.at),
      // An alert's detail is the alert: its id, stores and evidence, keys masked as everywhere in this dossier.
      detail:
        h.alertId === null
          ? parseJson(h.detail)
          : {
              alertId: String(h.alertId),
              sellerIds: ((h.sellerIds as unknown[] | null) ?? []).map(String),
              evidence: parseEvidence(h.evidence).map((e) => ({ kind: e.kind, key: mask(e.key), sellerIds: e.sellerIds })),
            },
    })),
    closures: closures.map((c) => ({
      closureId: String(c.closureId),
      at: String(c.at),
      sellerIds: (c.sellerIds as string[]) ?? [],
      ...(viewer.internal ? { reason: String(c.reason ?? '') } : {}),
    })),
    ...(viewer.internal
      ? {
          referrals: referrals.map((f) => ({
            referralId: String(f.referralId),
            agency: String(f.agency),
            caseReference: String(f.caseReference),
            createdAt: String(f.createdAt),
            packageSha256: String(f.packageSha256),
          })),
        }
      : {}),
    keysMasked: viewer.maskKeys,
  };
}

/**
 * The ring for drawing: the ring, its members, the identifiers two or more of them share and the
 * hubs they touch, with an edge per link. Node ids are prefixed by kind so that they never collide.
 */
function ringGraphOf(ring: Row): RingGraph {
  const members = rows(ring.members);
  const shared = rows(ring.shared).map(toShared).sort(byKindKey);
  const hubs = rows(ring.hubs).map(toHub).sort(byKindKey);
  const ringNode = `ring:${String(ring.ringId)}`;
  const graph: RingGraph = {
    nodes: [{ id: ringNode, label: String(ring.ringId), kind: 'ring', riskScore: Number(ring.riskScore) }],
    edges: [],
  };
  for (const m of members) {
    const id = `seller:${String(m.sellerId)}`;
    graph.nodes.push({ id, label: str(m.storeName) ?? String(m.sellerId), kind: 'seller', status: String(m.status) });
    graph.edges.push({ source: id, target: ringNode, type: 'MEMBER_OF' });
  }
  for (const identifier of [...shared.map((s) => ({ ...s, hub: false, sellerCount: s.sellerIds.length })), ...hubs.map((h) => ({ ...h, hub: true }))]) {
    const id = `${identifier.kind}:${identifier.key}`;
    graph.nodes.push({ id, label: identifier.key, kind: identifier.kind, hub: identifier.hub, sellerCount: identifier.sellerCount });
    for (const link of identifier.links) graph.edges.push({ source: `seller:${link.sellerId}`, target: id, type: link.type });
  }
  return graph;
}
