import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { AuditCheckpointSchema, latestCheckpoint } from '../../audit/checkpoints.ts';
import type { RouteRoles } from './table.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { problemResponses } from '../schemas.ts';

export const TransparencyMonth = z
  .object({
    month: z.string().openapi({ example: '2025-03' }),
    ringsFound: z.number().int(),
    storesClosed: z.number().int(),
    referrals: z.number().int(),
    medianDaysToClosure: z.number().nullable().openapi({ description: 'from first sighting to the closure that closed the ring, for rings closed that month' }),
  })
  .openapi('TransparencyMonth');

export const route = createRoute({
  method: 'get',
  path: '/v1/transparency',
  tags: ['public'],
  summary: 'Public figures by month',
  description:
    'Aggregates only (no key needed): flagged rings found, stores closed, referrals, median days to closure; and the latest signed checkpoint ' +
    'of the audit chain, so that anyone can keep one and later hold the operator to it (`ringwatch audit verify --checkpoint FILE`).',
  responses: {
    200: {
      description: 'figures by month, oldest first',
      content: {
        'application/json': {
          schema: z.object({
            months: z.array(TransparencyMonth),
            generatedAt: z.string(),
            auditCheckpoint: z.nullable(AuditCheckpointSchema).openapi('AuditCheckpoint', { description: 'the head of the audit chain (seq, hash, time) signed with the service key; null before the first' }),
          }),
        },
      },
    },
    ...problemResponses(),
  },
});


/** No key needed. */
export const roles = 'public' satisfies RouteRoles;

/** `GET /v1/transparency`: public. */
export function registerTransparency(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(route, async (c) => {
    const rows = await deps.db.read('http/transparency', {}, { app: 'http:GET /v1/transparency', requestId: c.get('requestId') });
    const months = new Map<string, z.infer<typeof TransparencyMonth>>();
    for (const row of rows) {
      const month = String(row.month);
      const entry = months.get(month) ?? { month, ringsFound: 0, storesClosed: 0, referrals: 0, medianDaysToClosure: null };
      const value = Number(row.value);
      if (row.metric === 'medianDaysToClosure') entry.medianDaysToClosure = Math.round(value * 10) / 10;
      else entry[row.metric as 'ringsFound' | 'storesClosed' | 'referrals'] = Math.round(value);
      months.set(month, entry);
    }
    const auditCheckpoint = await latestCheckpoint(deps.db, c.get('requestId'));
    return c.json({ months: [...months.values()].sort((a, b) => a.month.localeCompare(b.month)), generatedAt: deps.clock().toISOString(), auditCheckpoint }, 200);
  });
}
