import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { loadRingGraph } from '../../dossier/dossier.ts';
import type { Role } from '../../keys/principal.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { problems } from '../problems.ts';
import { GraphSchema } from '../../dossier/schema.ts';
import { bearerSecurity, problemResponses, RingIdParams } from '../schemas.ts';
import { auditRead, requireKey, txMeta } from './kit.ts';

export const route = createRoute({
  method: 'get',
  path: '/v1/rings/{ringId}/graph',
  tags: ['rings'],
  summary: 'A ring as nodes and edges, for drawing',
  description: 'The ring, its stores, the identifiers two or more of them share and the hubs they touch. Audited.',
  security: bearerSecurity,
  request: { params: RingIdParams },
  responses: {
    200: { description: 'nodes and edges', content: { 'application/json': { schema: GraphSchema } } },
    ...problemResponses(400, 401, 403, 404),
  },
});

/** Who may call this route (the routes table lists it). */
export const roles = ['analyst'] as const satisfies readonly Role[];

/** `GET /v1/rings/{ringId}/graph` for analysts. */
export function registerRingGraph(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi({ ...route, middleware: [requireKey(deps, roles)] }, async (c) => {
    const { ringId } = c.req.valid('param');
    const graph = await loadRingGraph(deps.db, ringId, txMeta(c));
    if (!graph) throw problems.ringNotFound(ringId);
    await auditRead(deps, c, 'ring.graph.read', ringId);
    return c.json(graph, 200);
  });
}
