import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { recordVerdicts } from '../../actions/verdicts.ts';
import { brandKeyOf, SCOPE_NAME_PATTERN } from '../../keys/apiKeys.ts';
import type { Role } from '../../keys/principal.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { strictJsonBody } from '../middleware/jsonBody.ts';
import { problems } from '../problems.ts';
import { bearerSecurity, freeText, ListingIdSchema, problemResponses } from '../schemas.ts';
import { auditActor, requireKey, txMeta } from './kit.ts';

const Params = z.object({
  brand: z.string().regex(SCOPE_NAME_PATTERN, 'must be a brand name').openapi({ param: { name: 'brand', in: 'path' }, example: 'Acme' }),
});

export const VerdictBody = z
  .object({
    listingIds: z.array(ListingIdSchema).min(1).max(1000),
    verdict: z.enum(['counterfeit', 'genuine']),
    note: freeText(2000).optional(),
  })
  .openapi('VerdictRequest');

export const VerdictResult = z
  .object({ brand: z.string(), verdict: z.enum(['counterfeit', 'genuine']), listingIds: z.array(z.string()), recorded: z.number().int() })
  .openapi('VerdictResult');

export const route = createRoute({
  method: 'post',
  path: '/v1/brands/{brand}/verdicts',
  tags: ['brands'],
  summary: 'Confirm or deny listings of your brand as counterfeit',
  description:
    "That brand's keys only (another brand's key is 403). Every listing must be a listing of this brand: ids that are unknown or of another brand " +
    'are refused together with one 422 that lists them, without saying which is which (a brand learns nothing about other brands). ' +
    'Stores one Verdict per listing and sets the listing\'s verdict, which scoring reads. Audited.',
  security: bearerSecurity,
  request: { params: Params, body: { required: true, content: { 'application/json': { schema: VerdictBody } } } },
  responses: {
    201: { description: 'recorded', content: { 'application/json': { schema: VerdictResult } } },
    ...problemResponses(400, 401, 403, 413, 415, 422),
  },
});

/** Who may call this route (the routes table lists it). */
export const roles = ['brand'] as const satisfies readonly Role[];

/** `POST /v1/brands/{brand}/verdicts` for that brand's keys. */
export function registerBrandVerdicts(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi({ ...route, middleware: [requireKey(deps, roles), strictJsonBody()] }, async (c) => {
    const { brand } = c.req.valid('param');
    const body = c.req.valid('json');
    const principal = c.get('principal');
    const brandKey = brandKeyOf(brand);
    if (brandKey !== principal.brandKey) throw problems.brandScope('a brand key records verdicts for its own brand only');
    const context = { db: deps.db, actor: auditActor(c), at: deps.clock(), meta: txMeta(c) };
    const { listingIds } = await recordVerdicts(context, { ...body, brand, brandKey, keyBrand: principal.brand });
    return c.json({ brand: principal.brand ?? brand, verdict: body.verdict, listingIds, recorded: listingIds.length }, 201);
  });
}
