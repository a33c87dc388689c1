import type { Db } from '../graph/db.ts';
import { int } from '../graph/db.ts';
import { alertsByIds, alertViewerOf } from '../alerts/alertReads.ts';
import type { AlertKind, DeliveryStatus } from '../vocabulary.ts';

/**
 * The outbox of webhook deliveries, kept in Neo4j so that a restarted `serve` resumes it
 * (docs/live.md, "Webhooks"). Three steps, each safe for several `serve` processes at once:
 * - fan out: every `Unrouted` alert becomes one `(:WebhookDelivery)` per active webhook whose
 *   scope may see it, whose kinds include it and that existed when it was raised; the pair
 *   (webhookId, alertId) is unique, so nothing is enqueued twice;
 * - claim: due deliveries are leased (locked, checked again, leased in one transaction), so two
 *   dispatchers never send the same attempt at once and a dead one's lease runs out;
 * - record: an attempt's outcome is written only while it still holds its lease.
 */

const META = { app: 'webhooks:dispatch' };

/**
 * Fans out up to `limit` unrouted alerts, oldest first; returns how many alerts were routed (fewer
 * than `limit`: the outbox is up to date). A crash halfway enqueues again next time, harmlessly.
 */
export async function fanOut(db: Db, now: Date, limit: number): Promise<number> {
  const alertIds = (await db.read('webhooks/unrouted', { limit: int(limit) }, META)).map((row) => String(row.alertId));
  if (alertIds.length === 0) return 0;
  const webhooks = await db.read('webhooks/active', {}, META);
  for (const w of webhooks) {
    const viewer = alertViewerOf({ brandKey: (w.brandKey as string | null) ?? null, agencyKey: (w.agencyKey as string | null) ?? null });
    const visible = await alertsByIds(db, viewer, alertIds, { kinds: w.events as AlertKind[], since: String(w.createdAt) }, META);
    if (visible.length === 0) continue;
    await db.writeTx(async (tx) => {
      await tx.run('webhooks/lock-webhook', { webhookId: w.webhookId, now: now.toISOString() });
      await tx.run('webhooks/enqueue', { webhookId: w.webhookId, alertIds: visible.map((a) => a.alertId), now: now.toISOString() });
    }, META);
  }
  await db.write('webhooks/mark-routed', { alertIds }, META);
  return alertIds.length;
}

/** A leased attempt: what to send where, and how to sign it. */
export interface ClaimedDelivery {
  eventId: string;
  alertId: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** When the delivery was enqueued: the event's `createdAt`. */
  createdAt: string;
  firstAttemptAt: string;
  webhookId: string;
  url: string;
  secret: string;
  allowPrivate: boolean;
  brandKey: string | null;
  agencyKey: string | null;
}

/**
 * Leases up to `limit` due deliveries for `leaseMs`, at most one per webhook and none of
 * `busyWebhookIds` (those this process is sending to).
 */
export async function claimDue(db: Db, options: { owner: string; now: Date; leaseMs: number; limit: number; busyWebhookIds: string[] }): Promise<ClaimedDelivery[]> {
  const { owner, now, leaseMs, limit, busyWebhookIds } = options;
  const params = { owner, now: now.toISOString(), leaseUntil: new Date(now.getTime() + leaseMs).toISOString() };
  return db.writeTx(async (tx) => {
    const eventIds = (await tx.run('webhooks/due', { ...params, busyWebhookIds, limit: int(limit) })).map((row) => String(row.eventId));
    if (eventIds.length === 0) return [];
    await tx.run('webhooks/lock-deliveries', { eventIds, owner });
    const rows = await tx.run('webhooks/claim', { ...params, eventIds });
    return rows.map((row) => ({
      eventId: String(row.eventId),
      alertId: String(row.alertId),
      attempt: Number(row.attempt),
      createdAt: String(row.createdAt),
      firstAttemptAt: String(row.firstAttemptAt),
      webhookId: String(row.webhookId),
      url: String(row.url),
      secret: String(row.secret),
      allowPrivate: Boolean(row.allowPrivate),
      brandKey: (row.brandKey as string | null) ?? null,
      agencyKey: (row.agencyKey as string | null) ?? null,
    }));
  }, META);
}

export interface AttemptRecord {
  status: DeliveryStatus;
  /** The receiver's HTTP status, when it answered. */
  httpStatus: number | null;
  /** Why the attempt failed (no personal data: a status, a timeout, a refused address). */
  error: string | null;
  /** For `pending`: when to try again. */
  nextAttemptAt: Date | null;
}

/** Writes what attempt `delivery.attempt` came to; false when its lease was lost meanwhile (nothing written). */
export async function recordAttempt(db: Db, delivery: ClaimedDelivery, owner: string, now: Date, record: AttemptRecord): Promise<boolean> {
  return db.writeTx(async (tx) => {
    await tx.run('webhooks/lock-deliveries', { eventIds: [delivery.eventId], owner });
    const rows = await tx.run('webhooks/record', {
      eventId: delivery.eventId,
      owner,
      attempt: int(delivery.attempt),
      now: now.toISOString(),
      status: record.status,
      httpStatus: record.httpStatus === null ? null : int(record.httpStatus),
      error: record.error,
      nextAttemptAt: record.nextAttemptAt?.toISOString() ?? null,
    });
    return rows.length > 0;
  }, META);
}
