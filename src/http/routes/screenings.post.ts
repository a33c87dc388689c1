import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Role } from '../../keys/principal.ts';
import { screenApplicant } from '../../screening/screening.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { strictJsonBody } from '../middleware/jsonBody.ts';
import { bearerSecurity, problemResponses, ScreeningRequestSchema, ScreeningResultSchema } from '../schemas.ts';
import { auditActor, requireKey, txMeta } from './kit.ts';

export const route = createRoute({
  method: 'post',
  path: '/v1/screenings',
  tags: ['screening'],
  summary: "Screen a store's applicant before it opens",
  description:
    "The applicant's identifiers, normalised exactly as ingest normalises them (`country` is where a phone without a country code is read), looked up against the stores already known: " +
    '`block` when one belongs to a closed store or a store of a closed ring, `review` when one belongs to a store of a flagged open ring, `allow` otherwise. ' +
    'Hubs never match; email is accepted and never matched. At most 100 entries per list. The answer names rings, stores and identifier kinds, never an identifier. ' +
    'Writes nothing but its audit event (counts, decision, ring ids).',
  security: bearerSecurity,
  request: { body: { required: true, content: { 'application/json': { schema: ScreeningRequestSchema } } } },
  responses: {
    200: { description: 'the decision and the rings it rests on', content: { 'application/json': { schema: ScreeningResultSchema } } },
    ...problemResponses(400, 401, 403, 413, 415, 422),
  },
});

/** Who may call this route (the routes table lists it): analysts, and a marketplace's onboarding service. */
export const roles = ['analyst', 'screening'] as const satisfies readonly Role[];

/** `POST /v1/screenings` for analysts and screening keys. */
export function registerScreenings(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi({ ...route, middleware: [requireKey(deps, roles), strictJsonBody()] }, async (c) => {
    const outcome = await screenApplicant({ db: deps.db, audit: deps.auditReads, actor: auditActor(c), at: deps.clock(), meta: txMeta(c) }, c.req.valid('json'));
    return c.json(outcome, 200);
  });
}
