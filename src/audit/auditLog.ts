import type { KeyObject } from 'node:crypto';
import type { Db, Row, Tx } from '../graph/db.ts';
import { int } from '../graph/db.ts';
import { canonicalJson, sha256Hex } from '../canonical.ts';
import { checkpointSignatureProblem, storedCheckpoints, type AuditCheckpoint } from './checkpoints.ts';

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

/** Who acts, as the audit log records it: the API key (or `cli`), its role, the request. */
export type AuditActor = Pick<AuditEntry, 'keyId' | 'role' | 'requestId'>;

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

/** Where the chain ends: the last event's seq and hash (0 and GENESIS_HASH while it is empty). */
export interface AuditChainHead {
  seq: number;
  hash: string;
}

/** Takes the head's write lock in `tx` and answers where the chain ends: every append, one or a batch, starts here. */
export async function lockAuditHead(tx: Tx, requestId: string): Promise<AuditChainHead> {
  const [head] = await tx.run('audit/lock-head', { genesis: GENESIS_HASH, requestId });
  return { seq: Number(head?.seq ?? 0), hash: String(head?.hash ?? GENESIS_HASH) };
}

/** The event that follows `head` for `entry`: seq one more, prevHash the head's hash, hashed. */
export function chainAuditEvent(head: AuditChainHead, entry: AuditEntry, at: Date): AuditEvent {
  const unhashed: Omit<AuditEvent, 'hash'> = {
    seq: head.seq + 1,
    at: at.toISOString(),
    keyId: entry.keyId,
    role: entry.role,
    action: entry.action,
    target: entry.target,
    requestId: entry.requestId,
    detail: canonicalJson(entry.detail ?? {}),
    prevHash: head.hash,
  };
  return { ...unhashed, hash: auditEventHash(unhashed) };
}

/**
 * Appends an event inside the caller's write transaction, so that an action and its audit event
 * commit together or not at all. The head lock serialises appends: seq has no gaps and no twins
 * however many requests arrive at once.
 */
export async function appendAuditEvent(tx: Tx, entry: AuditEntry, at: Date): Promise<AuditEvent> {
  const event = chainAuditEvent(await lockAuditHead(tx, entry.requestId), entry, at);
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

/** The fields every stored event has, and no other. */
const EVENT_FIELDS = ['seq', 'at', 'keyId', 'role', 'action', 'target', 'requestId', 'detail', 'prevHash', 'hash'] as const;

/** An event as stored, or why it is not one (a field added, missing, or of the wrong type). */
function storedEvent(props: Row): AuditEvent | string {
  const unknown = Object.keys(props).filter((key) => !(EVENT_FIELDS as readonly string[]).includes(key));
  if (unknown.length > 0) return `has fields no event has (${unknown.sort().join(', ')}): it was edited`;
  for (const field of EVENT_FIELDS) {
    const value = props[field];
    const wanted = field === 'seq' ? Number.isSafeInteger(value) : typeof value === 'string';
    if (!wanted) return `has ${value === null || value === undefined ? 'no' : 'a mistyped'} ${field}: it was edited`;
  }
  return props as unknown as AuditEvent;
}

export interface ChainReport {
  ok: boolean;
  /** Events read. */
  events: number;
  /** Where the chain ends: the head's seq, or the last event checked when appends went on during the check. */
  headSeq: number;
  /** Signed checkpoints checked against the chain (stored ones and those given). */
  checkpointsChecked: number;
  /** The newest checkpoint the chain was found to extend. */
  extendsCheckpoint: { seq: number; at: string } | null;
  /** The first discrepancy, when the chain is broken. */
  firstBreak?: { seq: number; reason: string };
  /** What this check could not prove (no trusted key, no checkpoint). */
  warnings: string[];
}

export interface ChainCheckOptions {
  /** The service's public key: checkpoints are trusted only under it. */
  trustedKey?: KeyObject | null;
  /** Checkpoints held outside the database (a file, the service's data folder). */
  checkpoints?: { checkpoint: AuditCheckpoint; source: string }[];
}

/**
 * How often verify reads the head again when its seq and hash disagree with the event stored at
 * that seq. Read without the head's lock while an append commits, the two properties can come from
 * two commits (read committed: bench/audit/torn-head.ts saw 4 such reads in 21,491 under load), so
 * a disagreement is read again before it counts; a head that was really edited disagrees every time.
 */
const HEAD_READS = 5;

/** The head as verify reads it: one whose seq and hash name an event as stored, if one of HEAD_READS reads does. */
async function readHeadForVerify(db: Db): Promise<AuditChainHead> {
  let head: AuditChainHead = { seq: 0, hash: GENESIS_HASH };
  for (let read = 1; read <= HEAD_READS; read++) {
    const [row] = await db.read('audit/head-with-event', {}, { app: 'audit:verify' });
    if (row?.seq === null || row?.seq === undefined) return head;
    head = { seq: Number(row.seq), hash: String(row.hash) };
    if (head.seq === 0 || row.eventHash === row.hash) return head;
  }
  return head;
}

/**
 * Walks the chain in seq order (streamed, constant memory) and reports the first event that was
 * edited, deleted or inserted: a recomputed hash that differs, a prevHash that does not point at
 * the event before, a seq that skips or repeats, a field added or changed in type, or a head that
 * says the chain is longer than it is. Every signed checkpoint, stored or given, must be signed by
 * the trusted key and name an event of the chain by its seq and hash: a chain cut from the end,
 * emptied or recomputed after an edit no longer extends the checkpoints taken before. A live
 * chain can be checked: events appended during the walk are checked with the rest, a checkpoint
 * of an event past the walk's end (taken meanwhile) is checked against that event, and the head
 * is read as HEAD_READS says.
 */
export async function verifyAuditChain(db: Db, options: ChainCheckOptions = {}): Promise<ChainReport> {
  const { seq: headSeq, hash: headHash } = await readHeadForVerify(db);
  const trustedKey = options.trustedKey ?? null;
  const warnings: string[] = [];
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let events = 0;
  /** The hash of the event at headSeq, as the walk finds it. */
  let hashAtHead: string | null = null;
  let checkpointsChecked = 0;
  let extendsCheckpoint: ChainReport['extendsCheckpoint'] = null;
  const report = (firstBreak?: ChainReport['firstBreak']): ChainReport => ({
    ok: firstBreak === undefined,
    events,
    headSeq: Math.max(headSeq, expectedSeq - 1),
    checkpointsChecked,
    extendsCheckpoint,
    ...(firstBreak ? { firstBreak } : {}),
    warnings,
  });
  const broken = (seq: number, reason: string) => report({ seq, reason });

  // Checkpoints in seq order: the given ones (few) merged with the stored stream as the walk goes.
  const given = [...(options.checkpoints ?? [])].sort((a, b) => a.checkpoint.seq - b.checkpoint.seq);
  const stored = storedCheckpoints(db)[Symbol.asyncIterator]();
  let nextStored = await stored.next();
  if (!trustedKey && (given.length > 0 || !nextStored.done)) {
    await stored.return?.(undefined);
    return broken(0, 'no trusted key to check the audit checkpoints with: pass --public-key or run beside the service (RINGWATCH_DATA_DIR)');
  }
  /** The checkpoints at or below `seq` not yet checked, each with where it came from. */
  const dueAt = async (seq: number): Promise<{ checkpoint: AuditCheckpoint; source: string }[]> => {
    const due: { checkpoint: AuditCheckpoint; source: string }[] = [];
    while (given[0] && given[0].checkpoint.seq <= seq) due.push(given.shift() as (typeof given)[number]);
    while (!nextStored.done && nextStored.value.seq <= seq) {
      due.push({ checkpoint: nextStored.value, source: 'the database' });
      nextStored = await stored.next();
    }
    return due;
  };
  const checkpointProblem = (checkpoint: AuditCheckpoint, source: string, event: Pick<AuditEvent, 'seq' | 'hash'> | null): string | null => {
    const signature = checkpointSignatureProblem(checkpoint, trustedKey as KeyObject);
    if (signature) return `the checkpoint at event ${checkpoint.seq} from ${source} is not the service's: ${signature}`;
    if (!event || event.seq !== checkpoint.seq) return `the checkpoint of ${checkpoint.at} from ${source} covers event ${checkpoint.seq}, which is gone: the chain was cut or emptied after it`;
    if (event.hash !== checkpoint.hash) return `event ${checkpoint.seq} is not the one checkpointed at ${checkpoint.at} (${source}): the chain was rewritten`;
    return null;
  };

  try {
    for await (const row of db.stream('audit/events-in-order', {}, { app: 'audit:verify' })) {
      const props = row.event as Row;
      const event = storedEvent(props);
      events += 1;
      if (typeof event === 'string') return broken(Number(props.seq) || expectedSeq, `event ${String(props.seq ?? '?')} ${event}`);
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
      for (const { checkpoint, source } of await dueAt(event.seq)) {
        const problem = checkpointProblem(checkpoint, source, event);
        if (problem) return broken(checkpoint.seq, problem);
        checkpointsChecked += 1;
        extendsCheckpoint = { seq: checkpoint.seq, at: checkpoint.at };
      }
      if (event.seq === headSeq) hashAtHead = event.hash;
      prevHash = event.hash;
      expectedSeq += 1;
    }
    // Checkpoints past the walk's end: of events gone (a cut chain), or, on a live chain, of
    // events appended after the walk passed their place, looked up one by one.
    for (const { checkpoint, source } of await dueAt(Number.MAX_SAFE_INTEGER)) {
      const [row] = await db.read('audit/event-hash-at', { seq: int(checkpoint.seq) }, { app: 'audit:verify' });
      const event = row?.seq === null || row?.seq === undefined ? null : { seq: Number(row.seq), hash: String(row.hash) };
      const problem = checkpointProblem(checkpoint, source, event);
      if (problem) return broken(checkpoint.seq, problem);
      checkpointsChecked += 1;
      extendsCheckpoint = { seq: checkpoint.seq, at: checkpoint.at };
    }
  } finally {
    await stored.return?.(undefined);
  }
  const lastSeq = expectedSeq - 1;
  if (headSeq > lastSeq) return broken(expectedSeq, `events ${expectedSeq}..${headSeq} are missing (deleted from the end)`);
  if (headSeq > 0 && headHash !== hashAtHead) return broken(headSeq, `event ${headSeq}, where the head ends the chain, does not match the head's hash: it was replaced`);
  if (lastSeq > headSeq) {
    // Events past the head read at the start: appends made while the walk went on (the chain is
    // live), each already checked above, or events inserted beyond the head, which the head read
    // now does not reach either.
    const now = await readHeadForVerify(db);
    if (now.seq < lastSeq) return broken(now.seq + 1, `the head ends the chain at ${now.seq} but events go on to ${lastSeq}`);
  }
  if (!trustedKey) warnings.push('no trusted key: signed checkpoints could not be checked, so a chain cut from the end or emptied would go unseen');
  else if (checkpointsChecked === 0) warnings.push('no signed checkpoint yet: a chain cut from the end or emptied would go unseen');
  return report();
}
