import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Row, Tx } from '../../graph/db.ts';
import { appendAuditEvent } from '../../audit/auditLog.ts';
import { canonicalJson, randomBase32, sha256Hex } from '../../canonical.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { strictJsonBody } from '../middleware/jsonBody.ts';
import { ProblemError } from '../problem.ts';
import { bearerSecurity, freeText, IdempotencyHeaders, problemResponses, RingIdParams, SellerIdSchema } from '../schemas.ts';
import { auditEntry, requireKey, txMeta } from './kit.ts';

export const ClosureBody = z
  .object({
    dryRun: z.boolean(),
    reason: freeText(2000),
    sellerIds: z.array(SellerIdSchema).min(1).max(10_000).optional().openapi({ description: 'a subset of the members; all of them when absent' }),
  })
  .openapi('ClosureRequest');

export const ClosureResult = z
  .object({
    closureId: z.string().nullable().openapi({ description: 'null for a dry run' }),
    sellerIds: z.array(z.string()).openapi({ description: 'the stores closed (or that would be)' }),
    dryRun: z.boolean(),
    status: z.string().openapi({ description: "the ring's status after the closure" }),
  })
  .openapi('ClosureResult');

export const route = createRoute({
  method: 'post',
  path: '/v1/rings/{ringId}/closures',
  tags: ['actions'],
  summary: "Close a ring's stores in one batch",
  description:
    'Closes every member (or the given subset) in one transaction, and the ring when no member is left open. ' +
    'Requires an Idempotency-Key: a repeat with the same key and body answers the first answer without closing again; the same key with another body is 422. ' +
    'A dry run answers what would be closed and changes nothing. Audited.',
  security: bearerSecurity,
  request: {
    params: RingIdParams,
    headers: IdempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: ClosureBody } } },
  },
  responses: {
    200: { description: 'dry run: what would be closed', content: { 'application/json': { schema: ClosureResult } } },
    201: { description: 'closed (or the same answer again for a repeated Idempotency-Key)', content: { 'application/json': { schema: ClosureResult } } },
    ...problemResponses(400, 401, 403, 404, 409, 413, 415, 422),
  },
});

type Result = z.infer<typeof ClosureResult>;

/** `POST /v1/rings/{ringId}/closures` for analysts. */
export function registerRingClosures(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi({ ...route, middleware: [requireKey(deps, 'analyst'), strictJsonBody()] }, async (c) => {
    const { ringId } = c.req.valid('param');
    const idempotencyKey = c.req.valid('header')['idempotency-key'];
    const body = c.req.valid('json');
    const principal = c.get('principal');
    const scope = `${principal.keyId}:${idempotencyKey}`;
    const requestedIds = body.sellerIds ? [...new Set(body.sellerIds)].sort() : null;
    const requestHash = sha256Hex(canonicalJson({ ringId, dryRun: body.dryRun, reason: body.reason, sellerIds: requestedIds }));
    const at = deps.clock();

    const replay = async (tx: Tx, row: Row): Promise<{ result: Result; replayed: true }> => {
      if (row.requestHash !== requestHash) {
        throw new ProblemError(422, 'idempotency-key-reused', 'Idempotency-Key reused', 'this Idempotency-Key was used with another request body; use a new key for a new request');
      }
      await appendAuditEvent(tx, auditEntry(c, 'ring.closure.replay', ringId, { closureId: row.closureId }), at);
      return { result: { closureId: String(row.closureId), sellerIds: row.sellerIds as string[], dryRun: false, status: String(row.ringStatus) }, replayed: true };
    };

    const outcome = await deps.db.writeTx(async (tx) => {
      // A real closure claims its Idempotency-Key first: of requests racing with one key, exactly one
      // creates the claim and the others wait for it to commit, then replay its answer. Should this
      // request fail below, the claim rolls back with everything else and a waiter takes its turn.
      let closureId: string | null = null;
      if (body.dryRun) {
        const [existing] = await tx.run('http/closure-find', { scope });
        if (existing) return replay(tx, existing);
      } else {
        closureId = `CL-${randomBase32(10)}`;
        const [claim] = await tx.run('http/closure-create', {
          scope,
          closureId,
          ringId,
          reason: body.reason,
          idempotencyKey,
          requestHash,
          at: at.toISOString(),
          keyId: principal.keyId,
        });
        if (!claim?.created) return replay(tx, claim as Row);
      }
      const [plan] = await tx.run('http/closure-plan', { ringId, lockBy: closureId });
      if (!plan) throw new ProblemError(404, 'ring-not-found', 'Ring not found', `there is no ring ${ringId}`);
      const members = plan.members as { sellerId: string; status: string }[];
      const statusOf = new Map(members.map((m) => [m.sellerId, m.status]));
      if (requestedIds) {
        const notMembers = requestedIds.filter((id) => !statusOf.has(id));
        if (notMembers.length > 0) {
          throw new ProblemError(422, 'not-ring-members', 'Not members of the ring', `${notMembers.length} of the sellerIds are not members of ${ringId}`, {
            errors: [{ field: 'body.sellerIds', message: 'not members of the ring' }],
            notMembers: notMembers.slice(0, 100),
          });
        }
      }
      if (members.length === 0) {
        throw new ProblemError(409, 'ring-has-no-members', 'Ring has no members', `${ringId} has no current members: a later detection run merged or split it; see its history`);
      }
      const toClose = (requestedIds ?? members.map((m) => m.sellerId).sort()).filter((id) => statusOf.get(id) !== 'closed');
      if (toClose.length === 0) throw new ProblemError(409, 'already-closed', 'Already closed', 'every selected store of this ring is already closed');
      if (closureId === null) {
        const stillOpen = members.filter((m) => m.status !== 'closed' && !toClose.includes(m.sellerId)).length;
        await appendAuditEvent(tx, auditEntry(c, 'ring.closure.dry-run', ringId, { sellers: toClose.length }), at);
        return { result: { closureId: null, sellerIds: toClose, dryRun: true, status: stillOpen === 0 ? 'closed' : String(plan.status) }, replayed: false };
      }
      const [applied] = await tx.run('http/closure-apply', { closureId, ringId, sellerIds: toClose });
      await appendAuditEvent(tx, auditEntry(c, 'ring.closure', ringId, { closureId, sellers: toClose.length }), at);
      return { result: { closureId, sellerIds: toClose, dryRun: false, status: String(applied?.ringStatus) }, replayed: false };
    }, txMeta(c));

    if (outcome.result.dryRun) return c.json(outcome.result, 200);
    if (outcome.replayed) c.header('idempotent-replayed', 'true');
    return c.json(outcome.result, 201);
  });
}
