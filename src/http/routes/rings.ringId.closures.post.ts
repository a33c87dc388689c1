import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { closeRingStores } from '../../actions/closures.ts';
import type { Role } from '../../keys/principal.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { strictJsonBody } from '../middleware/jsonBody.ts';
import { bearerSecurity, freeText, IdempotencyHeaders, problemResponses, RingIdParams, SellerIdSchema } from '../schemas.ts';
import { auditActor, requireKey, txMeta } from './kit.ts';

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

/** Who may call this route (the routes table lists it). */
export const roles = ['analyst'] as const satisfies readonly Role[];

/** `POST /v1/rings/{ringId}/closures` for analysts: 200 for a dry run, 201 for a closure (or its replay). */
export function registerRingClosures(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi({ ...route, middleware: [requireKey(deps, roles), strictJsonBody()] }, async (c) => {
    const { ringId } = c.req.valid('param');
    const idempotencyKey = c.req.valid('header')['idempotency-key'];
    const body = c.req.valid('json');
    const outcome = await closeRingStores({ db: deps.db, actor: auditActor(c), at: deps.clock(), meta: txMeta(c) }, { ringId, idempotencyKey, ...body });
    if (outcome.kind === 'dryRun') return c.json({ closureId: null, sellerIds: outcome.sellerIds, dryRun: true, status: outcome.status }, 200);
    if (outcome.replayed) c.header('idempotent-replayed', 'true');
    return c.json({ closureId: outcome.closureId, sellerIds: outcome.sellerIds, dryRun: false, status: outcome.status }, 201);
  });
}
