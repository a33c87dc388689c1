/**
 * Which alerts a detection run raises (docs/live.md, "Alerts"), from the rings it found and what the
 * store remembers. Pure: the run hands the result to the store, which writes the alerts and the
 * members it reported in the same transaction, so that each alert is raised once, even when a run
 * is killed and run again.
 *
 * A ring's newcomers are its members not yet reported in it (`reportedRingId`, set on every member
 * once the run that found it there is written). Of a ring's newcomers that are open stores:
 * - `recidivism`: those that joined a ring with a closure (a closure applied to it, or a member
 *   closed before), or that share an identifier with a closed member: a closed counterfeiter's
 *   new store. Recidivism takes precedence over growth, so one store is in one alert.
 * - `ring_growth`: the other newcomers of a ring that existed before, when that ring matters to
 *   someone: it is flagged, closed or referred (an honest family opening a fourth shop is not news).
 * - `new_ring`: every member of a flagged ring that continues no earlier ring.
 * Evidence: the identifiers that tie the alert's stores to the ring (to its closed members for
 * recidivism, where there are such ties; to its earlier members otherwise), strongest kind first.
 */
import { IDENTIFIER_KINDS, type AlertKind, type IdentifierKind } from '../vocabulary.ts';
import type { StoredRing } from '../analysis/storedRing.ts';
import type { AlertEvidence, NewAlert } from './alertStore.ts';

/** What a run raises is what alertStore.ts writes. */
export type { AlertEvidence } from './alertStore.ts';
export type RaisedAlert = NewAlert;

export interface RingForAlerts {
  ringId: string;
  /** The stored ring this one continues, when it does. */
  continues?: StoredRing;
  flagged: boolean;
  members: readonly { sellerId: string; closedBefore: boolean; reportedRingId: string | null }[];
  sharedIdentifiers: readonly { kind: IdentifierKind; key: string; sellerIds?: readonly string[] }[];
}

/** Evidence entries an alert carries at most. */
export const MAX_EVIDENCE = 20;

export interface RaisedAlerts {
  alerts: RaisedAlert[];
  /** Per ring, the newcomers now reported in it (alerted or not). */
  reported: { ringId: string; sellerIds: string[] }[];
}

export function raiseAlerts(rings: readonly RingForAlerts[], run: { runId: string; createdAt: string; newAlertId: () => string }): RaisedAlerts {
  const alerts: RaisedAlert[] = [];
  const reported: RaisedAlerts['reported'] = [];
  const alert = (kind: AlertKind, ring: RingForAlerts, sellerIds: string[], evidence: AlertEvidence[]) =>
    alerts.push({ alertId: run.newAlertId(), kind, ringId: ring.ringId, sellerIds: [...sellerIds].sort(), createdAt: run.createdAt, runId: run.runId, evidence });

  for (const ring of rings) {
    const newcomers = ring.members.filter((m) => m.reportedRingId !== ring.ringId);
    if (newcomers.length === 0) continue;
    reported.push({ ringId: ring.ringId, sellerIds: newcomers.map((m) => m.sellerId) });

    const isNew = new Set(newcomers.map((m) => m.sellerId));
    const earlier = new Set(ring.members.filter((m) => !isNew.has(m.sellerId)).map((m) => m.sellerId));
    const closed = new Set(ring.members.filter((m) => m.closedBefore).map((m) => m.sellerId));
    const openNewcomers = newcomers.filter((m) => !m.closedBefore).map((m) => m.sellerId);
    const hadClosure = ring.continues !== undefined && (ring.continues.closures > 0 || ring.continues.status === 'closed' || [...earlier].some((id) => closed.has(id)));

    const recidivists = hadClosure ? openNewcomers : openNewcomers.filter((id) => tiedTo(ring, id, closed));
    if (recidivists.length > 0) {
      const toClosed = evidence(ring, recidivists, closed);
      alert('recidivism', ring, recidivists, toClosed.length > 0 ? toClosed : evidence(ring, recidivists, earlier));
    }
    if (ring.continues === undefined) {
      if (ring.flagged) alert('new_ring', ring, ring.members.map((m) => m.sellerId), evidence(ring, [...isNew], isNew));
      continue;
    }
    const matters = ring.flagged || ring.continues.status !== 'open';
    const grown = openNewcomers.filter((id) => !recidivists.includes(id));
    if (matters && grown.length > 0) alert('ring_growth', ring, grown, evidence(ring, grown, earlier));
  }
  return { alerts, reported };
}

/** Whether `sellerId` shares one of the ring's identifiers with a seller of `others`. */
function tiedTo(ring: RingForAlerts, sellerId: string, others: ReadonlySet<string>): boolean {
  return ring.sharedIdentifiers.some((i) => i.sellerIds?.includes(sellerId) && i.sellerIds.some((id) => id !== sellerId && others.has(id)));
}

/** The ring's identifiers carried by one of `stores` and by one of `others`, strongest kind first. */
function evidence(ring: RingForAlerts, stores: readonly string[], others: ReadonlySet<string>): AlertEvidence[] {
  const wanted = new Set(stores);
  return ring.sharedIdentifiers
    .filter((i) => {
      const ids = i.sellerIds ?? [];
      // Shared identifiers have two or more of the ring's sellers, so for overlapping sets (a new ring) any qualifies.
      return ids.some((id) => wanted.has(id)) && ids.some((id) => others.has(id));
    })
    .map((i) => ({ kind: i.kind, key: i.key, sellerIds: [...(i.sellerIds ?? [])].sort() }))
    .sort((a, b) => IDENTIFIER_KINDS.indexOf(a.kind) - IDENTIFIER_KINDS.indexOf(b.kind) || b.sellerIds.length - a.sellerIds.length || (a.key < b.key ? -1 : 1))
    .slice(0, MAX_EVIDENCE);
}
