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
 * commits; only then is each waiter answered, so no read is answered unaudited. Events that arrive
 * meanwhile form the next batch, sent when this one has committed. A batch that fails rejects
 * every one of its waiters and, being one transaction, leaves nothing of itself behind. Actions
 * (closures, referrals, verdicts) do not come here: their event commits with the action, and the
 * head lock orders them with the batches, in this process and any other.
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

/**
 * One batch at a time: the events that arrive while a batch commits all go into the next, sent
 * when it has committed. With a second batch sent while the first committed (waiting at the head's
 * lock), batches were half the size and twice as many, and each is a write transaction with its
 * own commit on the cores Neo4j shares with the service: screenings at 16 connections, 200k
 * sellers, ran at 727/s with two in flight and 921/s with one, p99 54 against 42 ms
 * (bench/RESULTS.md, "API latency").
 */
export class AuditGroupCommit implements AuditRecorder {
  private readonly queue: Waiter[] = [];
  /** A batch is on its way: the events queued meanwhile wait for it to commit. */
  private committing = false;
  private closed = false;
  private readonly idleWaiters: (() => void)[] = [];
  /**
   * Where the chain ends after this process's last batch, as it guesses it: another process's
   * append or an action moves the head without telling, so a batch chained from the guess is
   * written only if the head is still there, checked under its lock. Null when not known.
   */
  private expectedHead: AuditChainHead | null = null;

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
      this.sendBatch();
    });
  }

  /** Refuses new events and resolves once every queued one is committed or refused (for a graceful stop). */
  async close(): Promise<void> {
    this.closed = true;
    if (!this.committing && this.queue.length === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /** Sends what is queued (at most maxBatch) as one batch, unless one is already on its way. */
  private sendBatch(): void {
    if (this.committing || this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.options.maxBatch);
    this.committing = true;
    void this.commitBatch(batch).finally(() => {
      this.committing = false;
      this.sendBatch();
      if (!this.committing) for (const resolve of this.idleWaiters.splice(0)) resolve();
    });
  }

  /** Commits one batch and answers its waiters; never throws (a failure is each waiter's rejection). */
  private async commitBatch(batch: Waiter[]): Promise<void> {
    const requestId = (batch[0] as Waiter).entry.requestId;
    const meta = { app: 'audit:batch', requestId, events: batch.length };
    let events: AuditEvent[] | null = null;
    try {
      const expected = this.expectedHead;
      if (expected) {
        // Chained from the guess and written by one auto-commit statement that checks it under
        // the head's lock: one round trip (a managed transaction's commit is a second).
        const chained = chainBatch(expected, batch);
        // A failure here is the batch's (503): whether it committed is unknown, so writing the
        // events again the long way could write them twice.
        const appended = await this.db.autoCommit('audit/append-events-at-head', { ...batchParameters(chained), fromSeq: int(expected.seq), fromHash: expected.hash, genesis: GENESIS_HASH, requestId }, meta);
        if (appended.length > 0) events = chained;
      }
      // The guess was wrong (another process's append or an action moved the head) or there is
      // none (the first batch, or one after a failure): lock the head, read it and chain from it,
      // inside the transaction function, so that a retried transaction starts again from the head
      // as it is then. Each waiter is answered with the event as committed.
      events ??= await this.db.writeTx(async (tx) => {
        const chained = chainBatch(await lockAuditHead(tx, requestId), batch);
        await tx.run('audit/append-events', batchParameters(chained));
        return chained;
      }, meta);
      this.expectedHead = endOf(events);
    } catch (error) {
      this.expectedHead = null;
      const refused = new RingwatchError('AUDIT_UNAVAILABLE', 'the audit log could not be written: the read was not audited, so it is not answered', { cause: error });
      for (const waiter of batch) waiter.reject(refused);
      return;
    }
    batch.forEach((waiter, i) => waiter.resolve((events as AuditEvent[])[i] as AuditEvent));
  }
}

const endOf = (events: readonly AuditEvent[]): AuditChainHead => {
  const last = events.at(-1) as AuditEvent;
  return { seq: last.seq, hash: last.hash };
};

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
