import { RingwatchError } from '../errors.ts';
import type { Tx } from '../graph/db.ts';
import { randomBase32 } from '../canonical.ts';
import { ALERT_ID_LENGTH, ALERT_ID_PATTERN, ALERT_ID_PREFIX, ALERT_KINDS, IDENTIFIER_KINDS, type AlertKind, type IdentifierKind } from '../vocabulary.ts';

/**
 * Alerts as stored: what a detection run raises (docs/live.md, "Alerts") and the one way to write
 * them, inside the run's own write-back transaction so that a ring change and its alert commit
 * together. `evidence` is kept on the node as JSON (a list of maps is no Neo4j property type); this
 * file writes that JSON and reads it back.
 */

/** One identifier that ties the alert's stores to the ring. `key` is the identifier node's normalised key: personal data. */
export interface AlertEvidence {
  kind: IdentifierKind;
  key: string;
  sellerIds: string[];
}

export interface NewAlert {
  alertId: string;
  kind: AlertKind;
  ringId: string;
  /** The stores the alert is about (the newcomers). */
  sellerIds: string[];
  /** ISO 8601; stored as a Neo4j datetime at millisecond precision. */
  createdAt: string;
  runId: string;
  evidence: AlertEvidence[];
}

/** A new alert id: `AL-` and 12 base32 characters (60 random bits). */
export function newAlertId(): string {
  return `${ALERT_ID_PREFIX}${randomBase32(ALERT_ID_LENGTH)}`;
}

/**
 * Writes `alerts` in the caller's write transaction: one `(:Alert)-[:ALERT_ON]->(:Ring)` each,
 * merged on `alertId`, so a retried transaction (or a replayed write) never doubles an alert.
 * Each new alert also carries the `Unrouted` label until the webhook dispatcher has fanned it out
 * (src/webhooks/outbox.ts). Fails with INPUT_INVALID on a malformed alert and RING_NOT_FOUND when
 * an alert names a ring that is not in the graph, so the caller's transaction rolls back rather
 * than commit a ring change whose alert was lost.
 */
export async function writeAlerts(tx: Tx, alerts: NewAlert[]): Promise<void> {
  if (alerts.length === 0) return;
  const rows = alerts.map(alertRow);
  const [result] = await tx.run('alerts/write', { alerts: rows });
  const written = Number(result?.written ?? 0);
  if (written !== rows.length) {
    const missing = await tx.run('alerts/missing-rings', { ringIds: [...new Set(rows.map((r) => r.ringId))] });
    throw new RingwatchError('RING_NOT_FOUND', `alerts name rings that are not in the graph: ${missing.map((m) => String(m.ringId)).join(', ')}`, {
      details: { ringIds: missing.map((m) => String(m.ringId)) },
    });
  }
}

function alertRow(alert: NewAlert): Record<string, unknown> {
  if (!ALERT_ID_PATTERN.test(alert.alertId)) throw new RingwatchError('INPUT_INVALID', `not an alert id: ${alert.alertId}`);
  if (!(ALERT_KINDS as readonly string[]).includes(alert.kind)) throw new RingwatchError('INPUT_INVALID', `alert ${alert.alertId}: kind must be one of ${ALERT_KINDS.join(', ')}`);
  const at = new Date(alert.createdAt);
  if (Number.isNaN(at.getTime())) throw new RingwatchError('INPUT_INVALID', `alert ${alert.alertId}: createdAt is not an ISO 8601 time`);
  for (const e of alert.evidence) {
    if (!(IDENTIFIER_KINDS as readonly string[]).includes(e.kind)) throw new RingwatchError('INPUT_INVALID', `alert ${alert.alertId}: evidence kind must be one of ${IDENTIFIER_KINDS.join(', ')}`);
  }
  return {
    alertId: alert.alertId,
    kind: alert.kind,
    ringId: alert.ringId,
    sellerIds: [...alert.sellerIds],
    // Milliseconds, as JavaScript reads it back: a page cursor made from a read alert then meets
    // the stored value exactly.
    createdAt: at.toISOString(),
    runId: alert.runId,
    evidence: JSON.stringify(alert.evidence.map((e) => ({ kind: e.kind, key: e.key, sellerIds: [...e.sellerIds] }))),
  };
}

/** The evidence stored on an alert node, read back; whatever is not evidence is left out. */
export function parseEvidence(json: unknown): AlertEvidence[] {
  if (typeof json !== 'string') return [];
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(value)) return [];
  return value
    .filter((e): e is Record<string, unknown> => e !== null && typeof e === 'object')
    .filter((e) => (IDENTIFIER_KINDS as readonly unknown[]).includes(e.kind) && typeof e.key === 'string')
    .map((e) => ({ kind: e.kind as IdentifierKind, key: e.key as string, sellerIds: Array.isArray(e.sellerIds) ? e.sellerIds.map(String) : [] }));
}
