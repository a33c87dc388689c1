import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { RouteRoles } from './table.ts';
import type { AppEnv } from '../env.ts';

export const route = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['service'],
  summary: 'The process is alive',
  responses: { 200: { description: 'alive', content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } } } },
});


/** No key needed. */
export const roles = 'public' satisfies RouteRoles;

/** `GET /healthz`: answers while the process runs, without touching the database. */
export function registerHealthz(app: OpenAPIHono<AppEnv>): void {
  app.openapi(route, (c) => c.json({ status: 'ok' as const }, 200));
}
