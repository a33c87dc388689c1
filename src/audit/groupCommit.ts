import type { Db } from '../graph/db.ts';
import { int } from '../graph/db.ts';
import { RingwatchError } from '../errors.ts';
import { chainAuditEvent, lockAuditHead, type AuditEntry, type AuditEvent } from './auditLog.ts';

/**
 * Group commit of the audit events of reads (docs/api.md, "Audit log"). Every append takes the
 * chain's one head lock, so one write transaction per read made reads queue behind each other at
 * the head. Here a read's event waits in a queue instead; the first event to wait starts a batch:
 * one write transaction locks the head once, chains every event queued until then (at most
 * `maxBatch`) with the same functions a single append uses, writes them with one statement and
 * commits; only then is each waiter answered, so no read is answered unaudited. Events that arrive
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
    const first = batch[0] as Waiter;
    let events: AuditEvent[];
    try {
      events = await this.db.writeTx(async (tx) => {
        // Chained inside the transaction function: a retried transaction starts again from the head as it is then.
        let head = await lockAuditHead(tx, first.entry.requestId);
        const chained = batch.map(({ entry, at }) => {
          const event = chainAuditEvent(head, entry, at);
          head = event;
          return event;
        });
        await tx.run('audit/append-events', { events: chained.map((event) => ({ ...event, seq: int(event.seq) })), headSeq: int(head.seq), headHash: head.hash });
        return chained;
      }, { app: 'audit:batch', requestId: first.entry.requestId, events: batch.length });
    } catch (error) {
      const refused = new RingwatchError('AUDIT_UNAVAILABLE', 'the audit log could not be written: the read was not audited, so it is not answered', { cause: error });
      for (const waiter of batch) waiter.reject(refused);
      return;
    }
    batch.forEach((waiter, i) => waiter.resolve(events[i] as AuditEvent));
  }
}
