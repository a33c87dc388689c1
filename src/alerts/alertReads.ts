import type { Db, Row, TxMeta } from '../graph/db.ts';
import { int } from '../graph/db.ts';
import { maskKey } from '../dossier/dossier.ts';
import type { AlertKind, RingStatus } from '../vocabulary.ts';
import { parseEvidence, type AlertEvidence } from './alertStore.ts';

/**
 * Alerts as a reader may see them (docs/live.md, "Alerts"): `GET /v1/alerts` and the webhook
 * dispatcher both render them here, so a webhook's `data` is exactly what its scope would read.
 */

/** Who reads: everything (analysts), a brand's rings with masked keys, or an agency's referred rings. */
export interface AlertViewer {
  /** Set for brands: only alerts on rings one of whose stores lists this brand. */
  brandKey: string | null;
  /** Set for agencies: only alerts on rings referred to this agency. */
  agencyKey: string | null;
  /** Evidence keys show as brand dossiers show identifiers (`maskKey`). */
  maskKeys: boolean;
}

/**
 * The view of a brand- or agency-scoped key or webhook, or of an unscoped one (everything). A
 * brand sees keys masked, as in its dossiers; an agency sees them whole, as in the packages
 * referred to it.
 */
export function alertViewerOf(scope: { brandKey: string | null; agencyKey: string | null }): AlertViewer {
  if (scope.brandKey !== null) return { brandKey: scope.brandKey, agencyKey: null, maskKeys: true };
  if (scope.agencyKey !== null) return { brandKey: null, agencyKey: scope.agencyKey, maskKeys: false };
  return { brandKey: null, agencyKey: null, maskKeys: false };
}

export interface AlertItem {
  alertId: string;
  kind: AlertKind;
  ringId: string;
  sellerIds: string[];
  createdAt: string;
  evidence: AlertEvidence[];
  /** The ring as it is now, so that alerts can be ranked by what they are about. */
  ring: { riskScore: number; flagged: boolean; status: RingStatus; size: number | null };
}

export type AlertSort = 'newest' | 'risk';

/** Where a page ended: the last item's sort key. */
export interface AlertPosition {
  createdAt: string;
  alertId: string;
  /** The ring's risk score, for `risk` order. */
  riskScore?: number;
}

export interface AlertQuery {
  kinds: AlertKind[] | null;
  since: string | null;
  sort: AlertSort;
  limit: number;
  after: AlertPosition | null;
}

/** Evidence as `viewer` may see it: keys masked for brands, exactly as their dossiers mask them. */
export function evidenceFor(viewer: { maskKeys: boolean }, evidence: AlertEvidence[]): AlertEvidence[] {
  return evidence.map((e) => ({ kind: e.kind, key: viewer.maskKeys ? maskKey(e.key) : e.key, sellerIds: e.sellerIds }));
}

function toItem(row: Row, viewer: AlertViewer): AlertItem {
  return {
    alertId: String(row.alertId),
    kind: row.kind as AlertKind,
    ringId: String(row.ringId),
    sellerIds: ((row.sellerIds as unknown[] | null) ?? []).map(String),
    createdAt: String(row.createdAt),
    evidence: evidenceFor(viewer, parseEvidence(row.evidence)),
    ring: {
      riskScore: Number(row.riskScore),
      flagged: Boolean(row.flagged),
      status: row.status as RingStatus,
      size: typeof row.size === 'number' ? row.size : null,
    },
  };
}

const scopeParams = (viewer: AlertViewer) => ({ brandKey: viewer.brandKey, agencyKey: viewer.agencyKey });

/** A page of the alerts `viewer` may see, and whether more follow. */
export async function listAlerts(db: Db, viewer: AlertViewer, query: AlertQuery, meta: TxMeta): Promise<{ items: AlertItem[]; more: boolean }> {
  const rows = await db.read(
    query.sort === 'risk' ? 'alerts/list-riskiest' : 'alerts/list-newest',
    {
      ...scopeParams(viewer),
      kinds: query.kinds,
      since: query.since,
      afterCreatedAt: query.after?.createdAt ?? null,
      afterAlertId: query.after?.alertId ?? null,
      afterRisk: query.sort === 'risk' ? (query.after?.riskScore ?? null) : null,
      limit: int(query.limit + 1),
    },
    meta,
  );
  return { items: rows.slice(0, query.limit).map((row) => toItem(row, viewer)), more: rows.length > query.limit };
}

/** The position of `item` in `sort` order: what the next page starts after. */
export function positionOf(item: AlertItem, sort: AlertSort): AlertPosition {
  return sort === 'risk' ? { riskScore: item.ring.riskScore, createdAt: item.createdAt, alertId: item.alertId } : { createdAt: item.createdAt, alertId: item.alertId };
}

/**
 * The alerts among `alertIds` that `viewer` may see, of `kinds` and created at or after `since`
 * (null: any), newest first. For the webhook dispatcher: which alerts a webhook gets, and what
 * it is sent.
 */
export async function alertsByIds(
  db: Db,
  viewer: AlertViewer,
  alertIds: string[],
  filter: { kinds: AlertKind[] | null; since: string | null },
  meta: TxMeta,
): Promise<AlertItem[]> {
  if (alertIds.length === 0) return [];
  const rows = await db.read('alerts/by-ids', { ...scopeParams(viewer), alertIds, kinds: filter.kinds, since: filter.since }, meta);
  return rows.map((row) => toItem(row, viewer));
}
