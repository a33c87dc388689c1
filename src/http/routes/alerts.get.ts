import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { alertViewerOf, listAlerts, positionOf } from '../../alerts/alertReads.ts';
import type { Role } from '../../keys/principal.ts';
import { decodeAlertCursor, encodeAlertCursor } from '../cursor.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { problems } from '../problems.ts';
import { AlertKindSchema, AlertSchema, bearerSecurity, problemResponses } from '../schemas.ts';
import { auditRead, requireKey, txMeta } from './kit.ts';

export const AlertsQuery = z.object({
  kind: AlertKindSchema.optional().openapi({ description: 'only alerts of this kind' }),
  since: z.iso
    .datetime({ offset: true, message: 'must be an ISO 8601 date and time with Z or an offset' })
    .optional()
    .openapi({ description: 'only alerts raised at or after this time', example: '2025-06-01T00:00:00Z' }),
  sort: z.enum(['newest', 'risk']).default('newest').openapi({ description: 'newest first (default), or the riskiest ring first and then newest' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional().openapi({ description: 'nextCursor of the previous page (of the same sort)' }),
});

export const route = createRoute({
  method: 'get',
  path: '/v1/alerts',
  tags: ['alerts'],
  summary: 'Alerts: recidivism, ring growth, new rings',
  description:
    'What detection runs raised, newest first (or with `sort=risk`, alerts on the riskiest rings first), a page at a time, each with its ring as it is now. ' +
    'Analysts see every alert; brand keys, alerts on rings that sell their brand, with identifier keys masked to their last 4 characters; agency keys, alerts on rings referred to their agency. Every read is audited.',
  security: bearerSecurity,
  request: { query: AlertsQuery },
  responses: {
    200: {
      description: 'a page of alerts',
      content: { 'application/json': { schema: z.object({ items: z.array(AlertSchema), nextCursor: z.string().nullable() }) } },
    },
    ...problemResponses(400, 401, 403),
  },
});

/** Who may call this route (the routes table lists it). */
export const roles = ['analyst', 'brand', 'agency'] as const satisfies readonly Role[];

/** `GET /v1/alerts` for analysts (all), brands (their rings, masked) and agencies (rings referred to them). */
export function registerAlertsList(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi({ ...route, middleware: [requireKey(deps, roles)] }, async (c) => {
    const query = c.req.valid('query');
    const principal = c.get('principal');
    const after = query.cursor === undefined ? null : decodeAlertCursor(query.cursor, query.sort);
    if (after === null && query.cursor !== undefined) throw problems.invalidCursor();
    // A brand or agency key without its scope sees nothing rather than everything (keys are made with one).
    if ((principal.role === 'brand' && !principal.brandKey) || (principal.role === 'agency' && !principal.agencyKey)) throw problems.forbiddenRole(roles, principal.role);
    const viewer = alertViewerOf({
      brandKey: principal.role === 'brand' ? principal.brandKey : null,
      agencyKey: principal.role === 'agency' ? principal.agencyKey : null,
    });
    const { items, more } = await listAlerts(
      deps.db,
      viewer,
      {
        kinds: query.kind === undefined ? null : [query.kind],
        since: query.since === undefined ? null : new Date(query.since).toISOString(),
        sort: query.sort,
        limit: query.limit,
        after,
      },
      txMeta(c),
    );
    const last = items[items.length - 1];
    await auditRead(deps, c, 'alerts.read', 'alerts', { alertIds: items.map((item) => item.alertId), sort: query.sort });
    return c.json({ items, nextCursor: more && last ? encodeAlertCursor(query.sort, positionOf(last, query.sort)) : null }, 200);
  });
}
