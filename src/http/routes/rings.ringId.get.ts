import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { ANALYST_VIEW, loadDossier, type DossierViewer } from '../../dossier/dossier.ts';
import type { Role } from '../../keys/principal.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { problems } from '../problems.ts';
import { DossierSchema } from '../../dossier/schema.ts';
import { bearerSecurity, problemResponses, RingIdParams } from '../schemas.ts';
import { auditRead, requireKey, txMeta } from './kit.ts';

export const route = createRoute({
  method: 'get',
  path: '/v1/rings/{ringId}',
  tags: ['rings'],
  summary: "A ring's dossier",
  description:
    'Members, risk factors, shared identifiers, hubs left out, listings with the typical price of their brand and category, history, closures and referrals. ' +
    'Brand keys see only rings of their brand, only that brand\'s listings, identifier keys masked to their last 4 characters, and no referrals. Every read is audited.',
  security: bearerSecurity,
  request: { params: RingIdParams },
  responses: {
    200: { description: 'the dossier', content: { 'application/json': { schema: DossierSchema } } },
    ...problemResponses(400, 401, 403, 404),
  },
});

/** Who may call this route (the routes table lists it). */
export const roles = ['analyst', 'brand'] as const satisfies readonly Role[];

/** `GET /v1/rings/{ringId}` for analysts and brands (own brand only; another brand's ring is 404). */
export function registerRingDossier(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi({ ...route, middleware: [requireKey(deps, roles)] }, async (c) => {
    const { ringId } = c.req.valid('param');
    const principal = c.get('principal');
    const viewer: DossierViewer = principal.role === 'brand' ? { brandKey: principal.brandKey, maskKeys: true, internal: false } : ANALYST_VIEW;
    const dossier = await loadDossier(deps.db, ringId, viewer, deps.config.dossierListingLimit, txMeta(c));
    if (!dossier) throw problems.ringNotFound(ringId);
    await auditRead(deps, c, 'ring.dossier.read', ringId);
    return c.json(dossier, 200);
  });
}
