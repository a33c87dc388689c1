import type { Db, Row, Tx } from '../../graph/db.ts';
import { int } from '../../graph/db.ts';
import { canonicalJson, sha256Hex } from '../canonical.ts';

/** What happened, by whom: the caller's part of an audit event. */
export interface AuditEntry {
  keyId: string;
  role: string;
  /** e.g. `ring.dossier.read`, `ring.closure`, `referral.create`, `key.revoke` */
  action: string;
  /** The ring, referral, brand or key acted on. */
  target: string;
  requestId: string;
  /** Small facts about the action (counts, flags); never personal data. */
  detail?: Record<string, unknown>;
}

/** One link of the chain as stored: `hash` is SHA-256 of the canonical JSON of every other field. */
export interface AuditEvent {
  seq: number;
  at: string;
  keyId: string;
  role: string;
  action: string;
  target: string;
  requestId: string;
  /** Canonical JSON of the entry's detail. */
  detail: string;
  prevHash: string;
  hash: string;
}

/** The prevHash of the first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** The hash an event must carry: over its canonical JSON, prevHash included and hash excluded. */
export function auditEventHash(event: Omit<AuditEvent, 'hash'>): string {
  const { seq, at, keyId, role, action, target, requestId, detail, prevHash } = event;
  return sha256Hex(canonicalJson({ seq, at, keyId, role, action, target, requestId, detail, prevHash }));
}

/**
 * Appends an event inside the caller's write transaction, so that an action and its audit event
 * commit together or not at all. The head lock serialises appends: seq has no gaps and no twins
 * however many requests arrive at once.
 */
export async function appendAuditEvent(tx: Tx, entry: AuditEntry, at: Date): Promise<AuditEvent> {
  const [head] = await tx.run('audit/lock-head', { genesis: GENESIS_HASH, requestId: entry.requestId });
  const unhashed: Omit<AuditEvent, 'hash'> = {
    seq: Number(head?.seq ?? 0) + 1,
    at: at.toISOString(),
    keyId: entry.keyId,
    role: entry.role,
    action: entry.action,
    target: entry.target,
    requestId: entry.requestId,
    detail: canonicalJson(entry.detail ?? {}),
    prevHash: String(head?.hash ?? GENESIS_HASH),
  };
  const event: AuditEvent = { ...unhashed, hash: auditEventHash(unhashed) };
  await tx.run('audit/append-event', { ...event, seq: int(event.seq) });
  return event;
}

/** Appends an event in a transaction of its own (reads, whose work needs no write transaction). */
export async function recordAuditEvent(db: Db, entry: AuditEntry, at: Date): Promise<AuditEvent> {
  return db.writeTx((tx) => appendAuditEvent(tx, entry, at), { app: `audit:${entry.action}`, requestId: entry.requestId });
}

/** The latest `limit` audit events about the given targets, in chain order. */
export async function auditEventsFor(db: Db, targets: string[], limit: number, requestId?: string): Promise<AuditEvent[]> {
  const rows = await db.read('audit/events-for-target', { targets, limit: int(limit) }, { app: 'audit:excerpt', requestId });
  return rows.map(rowToEvent).reverse();
}

export function rowToEvent(row: Row): AuditEvent {
  return {
    seq: Number(row.seq),
    at: String(row.at),
    keyId: String(row.keyId),
    role: String(row.role),
    action: String(row.action),
    target: String(row.target),
    requestId: String(row.requestId),
    detail: String(row.detail ?? '{}'),
    prevHash: String(row.prevHash),
    hash: String(row.hash),
  };
}

export interface ChainReport {
  ok: boolean;
  /** Events read. */
  events: number;
  /** The last seq the head records. */
  headSeq: number;
  /** The first discrepancy, when the chain is broken. */
  firstBreak?: { seq: number; reason: string };
}

/**
 * Walks the chain in seq order (streamed, constant memory) and reports the first event that was
 * edited, deleted or inserted: a recomputed hash that differs, a prevHash that does not point at
 * the event before, a seq that skips, or a head that says the chain is longer than it is.
 */
export async function verifyAuditChain(db: Db): Promise<ChainReport> {
  const [head] = await db.read('audit/head', {}, { app: 'audit:verify' });
  const headSeq = head?.seq === null || head?.seq === undefined ? 0 : Number(head.seq);
  const headHash = head?.hash === null || head?.hash === undefined ? GENESIS_HASH : String(head.hash);
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let events = 0;
  const broken = (seq: number, reason: string): ChainReport => ({ ok: false, events, headSeq, firstBreak: { seq, reason } });
  for await (const row of db.stream('audit/events-in-order', {}, { app: 'audit:verify' })) {
    const event = rowToEvent(row);
    events += 1;
    if (event.seq !== expectedSeq) {
      return event.seq > expectedSeq
        ? broken(expectedSeq, `event ${expectedSeq}${event.seq - expectedSeq > 1 ? `..${event.seq - 1}` : ''} is missing (deleted)`)
        : broken(event.seq, `event ${event.seq} appears twice or out of order`);
    }
    if (event.prevHash !== prevHash) {
      return broken(event.seq - 1 || 1, `event ${event.seq} does not chain to event ${event.seq - 1}: event ${event.seq - 1} was edited or replaced`);
    }
    if (auditEventHash(event) !== event.hash) {
      return broken(event.seq, `event ${event.seq} was edited: its content no longer matches its hash`);
    }
    prevHash = event.hash;
    expectedSeq += 1;
  }
  if (headSeq !== expectedSeq - 1) {
    return headSeq > expectedSeq - 1
      ? broken(expectedSeq, `events ${expectedSeq}..${headSeq} are missing (deleted from the end)`)
      : broken(headSeq + 1, `the head ends the chain at ${headSeq} but events go on to ${expectedSeq - 1}`);
  }
  if (headSeq > 0 && headHash !== prevHash) return broken(headSeq, `the last event ${headSeq} does not match the head's hash: it was replaced`);
  return { ok: true, events, headSeq };
}
