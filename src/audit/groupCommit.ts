import type { Db } from '../graph/db.ts';
import { int } from '../graph/db.ts';
import { RingwatchError } from '../errors.ts';
import { chainAuditEvent, GENESIS_HASH, lockAuditHead, type AuditChainHead, type AuditEntry, type AuditEvent } from './auditLog.ts';

/**
 * Group commit of the audit events of reads (docs/api.md, "Audit log"). Every append takes the
 * chain's one head lock, so one write transaction per read made reads queue behind each other at
 * the head. Here a read's event waits in a queue instead; the first event to wait starts a batch:
 * one write transaction locks the head once, chains every event queued until then (at most
 * `maxBatch`) with the same functions a single append uses, writes them with one statement and
 * commits (one auto-commit statement when nothing else appended since this process's last batch,
 * checked under the lock); only then is each waiter answered, so no read is answered unaudited. Events that arrive
 * while a batch commits form the next one. A batch that fails rejects every one of its waiters and,
 * being one transaction, leaves nothing of itself behind. Actions (closures, referrals, verdicts)
 * do not come here: their event commits with the action, and the head lock orders them with the
 * batches, in this process and any other.
 */

/** Records one read's audit event and resolves once it is committed. */
export interface AuditRecorder {
  record(entry: AuditEntry, at: Date): Promise<AuditEvent>;
}

export interface GroupCommitOptions {
  /** Most events one batch chains and writes; the rest wait for the next batch. */
  maxBatch: number;
}

/**
 * 256 events are one statement of a few dozen kilobytes, written in milliseconds; a batch
 * that large is reached only when hundreds of reads arrive within one commit.
 */
export const GROUP_COMMIT_DEFAULTS: GroupCommitOptions = { maxBatch: 256 };

interface Waiter {
  entry: AuditEntry;
  at: Date;
  resolve: (event: AuditEvent) => void;
  reject: (error: unknown) => void;
}

export class AuditGroupCommit implements AuditRecorder {
  private queue: Waiter[] = [];
  private committing: Promise<void> | null = null;
  private closed = false;
  /** Where this process's last committed batch ended the chain (a guess: another append may have moved it since). */
  private lastHead: AuditChainHead | null = null;

  constructor(
    private readonly db: Db,
    private readonly options: GroupCommitOptions = GROUP_COMMIT_DEFAULTS,
  ) {
    if (!Number.isInteger(options.maxBatch) || options.maxBatch < 1) throw new RingwatchError('CONFIG_INVALID', 'the audit batch size must be a whole number of at least 1');
  }

  /** Queues `entry` for the next batch; resolves with the event as committed, rejects with AUDIT_UNAVAILABLE when its batch failed. */
  record(entry: AuditEntry, at: Date): Promise<AuditEvent> {
    if (this.closed) return Promise.reject(new RingwatchError('AUDIT_UNAVAILABLE', 'the service is stopping: the read was not audited, so it is not answered'));
    return new Promise<AuditEvent>((resolve, reject) => {
      this.queue.push({ entry, at, resolve, reject });
      this.committing ??= this.commitWhileQueued();
    });
  }

  /** Refuses new events and resolves once every queued one is committed or refused (for a graceful stop). */
  async close(): Promise<void> {
    this.closed = true;
    await this.committing;
  }

  private async commitWhileQueued(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.commitBatch(this.queue.splice(0, this.options.maxBatch));
    } finally {
      // No await between the loop's last check and here: an event queued meanwhile cannot be stranded.
      this.committing = null;
    }
  }

  private async commitBatch(batch: Waiter[]): Promise<void> {
    const requestId = (batch[0] as Waiter).entry.requestId;
    const meta = { app: 'audit:batch', requestId, events: batch.length };
    let events: AuditEvent[] | null = null;
    try {
      // Where this process's last batch left the chain: when nothing else appended since, the batch
      // is chained from there and written by one auto-commit statement that checks it under the
      // head's lock (one round trip; a managed transaction's commit is a second one).
      const expected = this.lastHead;
      if (expected) {
        const chained = chainBatch(expected, batch);
        // A failure here is the batch's (503): whether it committed is unknown, so writing the
        // events again the long way could write them twice.
        const appended = await this.db.autoCommit('audit/append-events-at-head', { ...batchParameters(chained), fromSeq: int(expected.seq), fromHash: expected.hash, genesis: GENESIS_HASH, requestId }, meta);
        if (appended.length > 0) events = chained;
      }
      // Another append moved the head, or this is the first batch: lock the head, read it, chain
      // from it, inside the transaction function, so that a retried transaction starts again from
      // the head as it is then.
      events ??= await this.db.writeTx(async (tx) => {
        const chained = chainBatch(await lockAuditHead(tx, requestId), batch);
        await tx.run('audit/append-events', batchParameters(chained));
        return chained;
      }, meta);
    } catch (error) {
      this.lastHead = null;
      const refused = new RingwatchError('AUDIT_UNAVAILABLE', 'the audit log could not be written: the read was not audited, so it is not answered', { cause: error });
      for (const waiter of batch) waiter.reject(refused);
      return;
    }
    const last = events.at(-1) as AuditEvent;
    this.lastHead = { seq: last.seq, hash: last.hash };
    batch.forEach((waiter, i) => waiter.resolve((events as AuditEvent[])[i] as AuditEvent));
  }
}

/** The parameters of the statements that write a chained batch: its events and the head's new place. */
function batchParameters(events: readonly AuditEvent[]): Record<string, unknown> {
  const last = events.at(-1) as AuditEvent;
  return { events: events.map((event) => ({ ...event, seq: int(event.seq) })), headSeq: int(last.seq), headHash: last.hash };
}

/** The batch's events chained one after the other from `head`, in the order they were queued. */
function chainBatch(head: AuditChainHead, batch: readonly Waiter[]): AuditEvent[] {
  let previous = head;
  return batch.map(({ entry, at }) => {
    const event = chainAuditEvent(previous, entry, at);
    previous = event;
    return event;
  });
}
