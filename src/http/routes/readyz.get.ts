import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { RouteRoles } from './table.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { problems } from '../problems.ts';
import { problemResponses } from '../schemas.ts';

export const route = createRoute({
  method: 'get',
  path: '/readyz',
  tags: ['service'],
  summary: 'Ready: Neo4j answers',
  responses: {
    200: { description: 'ready', content: { 'application/json': { schema: z.object({ status: z.literal('ready'), neo4j: z.string() }) } } },
    ...problemResponses(),
  },
});


/** No key needed. */
export const roles = 'public' satisfies RouteRoles;

/** How long readiness waits for Neo4j before saying no. */
const READY_TIMEOUT_MS = 5_000;

/** `GET /readyz`: 200 when Neo4j answers within a few seconds, a 503 problem otherwise. */
export function registerReadyz(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(route, async (c) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), READY_TIMEOUT_MS);
      });
      const { version } = await Promise.race([deps.db.verify(), timeout]);
      return c.json({ status: 'ready' as const, neo4j: version }, 200);
    } catch {
      throw problems.notReady();
    } finally {
      clearTimeout(timer);
    }
  });
}
