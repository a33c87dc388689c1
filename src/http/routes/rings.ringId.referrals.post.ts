import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { referRing } from '../../actions/referrals.ts';
import { PackageStore } from '../../evidence/packageStore.ts';
import { SCOPE_NAME_PATTERN } from '../../keys/apiKeys.ts';
import type { Role } from '../../keys/principal.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { strictJsonBody } from '../middleware/jsonBody.ts';
import { bearerSecurity, freeText, IdempotencyHeaders, problemResponses, RingIdParams } from '../schemas.ts';
import { auditActor, requireKey, txMeta } from './kit.ts';

export const ReferralBody = z
  .object({
    agency: z.string().regex(SCOPE_NAME_PATTERN, "must be 1 to 64 letters, digits, spaces or & ' . + _ -"),
    caseReference: freeText(128),
  })
  .openapi('ReferralRequest');

export const ReferralResult = z
  .object({ referralId: z.string(), agency: z.string(), packageSha256: z.string().openapi({ description: 'SHA-256 of the package bytes' }) })
  .openapi('ReferralResult');

export const route = createRoute({
  method: 'post',
  path: '/v1/rings/{ringId}/referrals',
  tags: ['actions'],
  summary: 'Refer a ring to a law-enforcement agency',
  description:
    'Builds the evidence package now (a signed BagIt bag of the dossier, a readable summary, CSVs, the graph and the audit events about the ring), ' +
    "stores it, and records its SHA-256. The agency's keys can then download it. " +
    'Requires an Idempotency-Key: a repeat with the same key and body answers the same referral without making another; the same key with another body is 422. Audited.',
  security: bearerSecurity,
  request: { params: RingIdParams, headers: IdempotencyHeaders, body: { required: true, content: { 'application/json': { schema: ReferralBody } } } },
  responses: {
    201: { description: 'referred (or the same referral again for a repeated Idempotency-Key)', content: { 'application/json': { schema: ReferralResult } } },
    ...problemResponses(400, 401, 403, 404, 413, 415, 422),
  },
});

/** Who may call this route (the routes table lists it). */
export const roles = ['analyst'] as const satisfies readonly Role[];

/** `POST /v1/rings/{ringId}/referrals` for analysts. */
export function registerRingReferrals(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const store = new PackageStore(deps.config.dataDir);
  app.openapi({ ...route, middleware: [requireKey(deps, roles), strictJsonBody()] }, async (c) => {
    const { ringId } = c.req.valid('param');
    const idempotencyKey = c.req.valid('header')['idempotency-key'];
    const body = c.req.valid('json');
    const { db, signingKey, clock, config } = deps;
    const context = { db, store, signingKey, clock, dataDir: config.dataDir, dossierListingLimit: config.dossierListingLimit, actor: auditActor(c), meta: txMeta(c) };
    const referral = await referRing(context, { ringId, idempotencyKey, ...body });
    if (referral.replayed) c.header('idempotent-replayed', 'true');
    return c.json({ referralId: referral.referralId, agency: referral.agency, packageSha256: referral.packageSha256 }, 201);
  });
}
