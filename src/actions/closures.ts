import { appendAuditEvent, type AuditActor } from '../audit/auditLog.ts';
import { randomBase32 } from '../canonical.ts';
import { RingwatchError } from '../errors.ts';
import type { Db, Row, Tx, TxMeta } from '../graph/db.ts';
import { idempotencyKeyReused, idempotencyScope, requestHashOf } from './idempotency.ts';
import { CLOSED_STORE_STATUS, CYPHER_VOCABULARY } from '../vocabulary.ts';

/**
 * Batch closures of a ring's stores. A closure closes every member of the ring (or a chosen
 * subset) in one transaction, and the ring when no member is left open; it happens once per
 * Idempotency-Key, and a repeat answers the first answer (docs/api.md, "Idempotency").
 */

export interface ClosureRequest {
  ringId: string;
  /** Answer what would be closed, and change nothing. */
  dryRun: boolean;
  reason: string;
  /** A subset of the members; all of them when absent. */
  sellerIds?: readonly string[];
  idempotencyKey: string;
}

/** What a closure did, or (a dry run) would do. */
export type ClosureOutcome =
  | { kind: 'dryRun'; sellerIds: string[]; status: string }
  | { kind: 'closed'; closureId: string; sellerIds: string[]; status: string; replayed: boolean };

interface ClosureContext {
  db: Db;
  actor: AuditActor;
  at: Date;
  meta: TxMeta;
}

/** The stores of a ring as the closure plan reads them, under the ring's write lock for a real closure. */
interface Plan {
  status: string;
  members: { sellerId: string; status: string }[];
}

/**
 * Closes the stores of `request.ringId`, or says which it would close (a dry run), auditing either.
 * Refusals are RingwatchErrors: RING_NOT_FOUND, NOT_RING_MEMBERS, RING_HAS_NO_MEMBERS,
 * ALREADY_CLOSED, and IDEMPOTENCY_KEY_REUSED for a key used before with another request.
 */
export async function closeRingStores({ db, actor, at, meta }: ClosureContext, request: ClosureRequest): Promise<ClosureOutcome> {
  const { ringId, idempotencyKey } = request;
  const scope = idempotencyScope(actor.keyId, idempotencyKey);
  const requestedIds = request.sellerIds ? [...new Set(request.sellerIds)].sort() : null;
  const requestHash = requestHashOf({ ringId, dryRun: request.dryRun, reason: request.reason, sellerIds: requestedIds });

  const replay = async (tx: Tx, row: Row): Promise<ClosureOutcome> => {
    if (row.requestHash !== requestHash) throw idempotencyKeyReused();
    await appendAuditEvent(tx, { ...actor, action: 'ring.closure.replay', target: ringId, detail: { closureId: row.closureId } }, at);
    return { kind: 'closed', closureId: String(row.closureId), sellerIds: row.sellerIds as string[], status: String(row.ringStatus), replayed: true };
  };

  return db.writeTx(async (tx) => {
    if (request.dryRun) {
      // A dry run under a key a real closure used answers that closure.
      const [existing] = await tx.run('closures/find', { scope });
      if (existing) return replay(tx, existing);
      const plan = await readPlan(tx, ringId, null);
      const toClose = storesToClose(ringId, plan, requestedIds);
      const stillOpen = plan.members.filter((m) => m.status !== CLOSED_STORE_STATUS && !toClose.includes(m.sellerId)).length;
      await appendAuditEvent(tx, { ...actor, action: 'ring.closure.dry-run', target: ringId, detail: { sellers: toClose.length } }, at);
      return { kind: 'dryRun', sellerIds: toClose, status: stillOpen === 0 ? CYPHER_VOCABULARY.ringStatus.closed : plan.status };
    }
    // A real closure claims its Idempotency-Key first: of requests racing with one key, exactly one
    // creates the claim and the others wait for it to commit, then replay its answer. Should this
    // request fail below, the claim rolls back with everything else and a waiter takes its turn.
    const closureId = `CL-${randomBase32(10)}`;
    const [claim] = await tx.run('closures/create', {
      scope,
      closureId,
      ringId,
      reason: request.reason,
      idempotencyKey,
      requestHash,
      at: at.toISOString(),
      keyId: actor.keyId,
    });
    if (!claim?.created) return replay(tx, claim as Row);
    const toClose = storesToClose(ringId, await readPlan(tx, ringId, closureId), requestedIds);
    const [applied] = await tx.run('closures/apply', { closureId, ringId, sellerIds: toClose });
    await appendAuditEvent(tx, { ...actor, action: 'ring.closure', target: ringId, detail: { closureId, sellers: toClose.length } }, at);
    return { kind: 'closed', closureId, sellerIds: toClose, status: String(applied?.ringStatus), replayed: false };
  }, meta);
}

/** The ring's members and status; `lockBy` (a real closure's id) takes the ring's write lock first. */
async function readPlan(tx: Tx, ringId: string, lockBy: string | null): Promise<Plan> {
  const [plan] = await tx.run('closures/plan', { ringId, lockBy });
  if (!plan) throw new RingwatchError('RING_NOT_FOUND', `there is no ring ${ringId}`);
  return { status: String(plan.status), members: plan.members as Plan['members'] };
}

/** The stores a closure closes: the requested members (or all), less those closed already, sorted. */
function storesToClose(ringId: string, plan: Plan, requestedIds: string[] | null): string[] {
  const statusOf = new Map(plan.members.map((m) => [m.sellerId, m.status]));
  if (requestedIds) {
    const notMembers = requestedIds.filter((id) => !statusOf.has(id));
    if (notMembers.length > 0) {
      throw new RingwatchError('NOT_RING_MEMBERS', `${notMembers.length} of the sellerIds are not members of ${ringId}`, { details: { notMembers: notMembers.slice(0, 100) } });
    }
  }
  if (plan.members.length === 0) {
    throw new RingwatchError('RING_HAS_NO_MEMBERS', `${ringId} has no current members: a later detection run merged or split it; see its history`);
  }
  const toClose = (requestedIds ?? plan.members.map((m) => m.sellerId).sort()).filter((id) => statusOf.get(id) !== CLOSED_STORE_STATUS);
  if (toClose.length === 0) throw new RingwatchError('ALREADY_CLOSED', 'every selected store of this ring is already closed');
  return toClose;
}
