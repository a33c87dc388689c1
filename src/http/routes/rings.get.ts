import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { int } from '../../graph/db.ts';
import { brandKeyOf, SCOPE_NAME_PATTERN } from '../../keys/apiKeys.ts';
import { decodeRingCursor, encodeRingCursor } from '../cursor.ts';
import { brandsVisibleTo } from '../../dossier/dossier.ts';
import type { Role } from '../../keys/principal.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { problems } from '../problems.ts';
import { bearerSecurity, problemResponses, RingStatusSchema, RingSummarySchema } from '../schemas.ts';
import { requireKey, txMeta } from './kit.ts';

export const RingsQuery = z.object({
  flagged: z.enum(['true', 'false']).optional().openapi({ description: 'only flagged (or only unflagged) rings' }),
  brand: z.string().regex(SCOPE_NAME_PATTERN, 'must be a brand name').optional().openapi({ description: 'rings whose stores list this brand (case-insensitive)' }),
  minRisk: z.coerce.number().min(0).max(100).optional(),
  status: RingStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional().openapi({ description: 'nextCursor of the previous page' }),
});

export const route = createRoute({
  method: 'get',
  path: '/v1/rings',
  tags: ['rings'],
  summary: 'Rings ranked by risk',
  description: 'Active rings, riskiest first (ties by ring id), a page at a time. Brand keys see only rings that sell their brand.',
  security: bearerSecurity,
  request: { query: RingsQuery },
  responses: {
    200: {
      description: 'a page of rings',
      content: { 'application/json': { schema: z.object({ items: z.array(RingSummarySchema), nextCursor: z.string().nullable() }) } },
    },
    ...problemResponses(400, 401, 403),
  },
});

/** Who may call this route (the routes table lists it). */
export const roles = ['analyst', 'brand'] as const satisfies readonly Role[];

/** `GET /v1/rings` for analysts and brands. */
export function registerRingsList(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi({ ...route, middleware: [requireKey(deps, roles)] }, async (c) => {
    const query = c.req.valid('query');
    const principal = c.get('principal');
    let brandKey = query.brand === undefined ? null : brandKeyOf(query.brand);
    if (principal.role === 'brand') {
      if (brandKey !== null && brandKey !== principal.brandKey) throw problems.brandScope('a brand key sees only rings of its own brand');
      brandKey = principal.brandKey;
    }
    const after = query.cursor === undefined ? undefined : decodeRingCursor(query.cursor);
    if (after === null) throw problems.invalidCursor();
    const rows = await deps.db.read(
      'http/rings-list',
      {
        flagged: query.flagged === undefined ? null : query.flagged === 'true',
        minRisk: query.minRisk ?? null,
        status: query.status ?? null,
        brandKey,
        afterRisk: after?.riskScore ?? null,
        afterRingId: after?.ringId ?? null,
        limit: int(query.limit + 1),
      },
      txMeta(c),
    );
    const items = rows.slice(0, query.limit).map((row) => ({
      ringId: String(row.ringId),
      riskScore: Number(row.riskScore),
      flagged: Boolean(row.flagged),
      size: typeof row.size === 'number' ? row.size : null,
      brands: brandsVisibleTo(row.brands as unknown[], principal.role === 'brand' ? principal.brandKey : null),
      status: String(row.status),
    }));
    const last = items[items.length - 1];
    const nextCursor = rows.length > query.limit && last ? encodeRingCursor({ riskScore: last.riskScore, ringId: last.ringId }) : null;
    return c.json({ items, nextCursor }, 200);
  });
}
