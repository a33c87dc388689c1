import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { appendAuditEvent } from '../../audit/auditLog.ts';
import { brandKeyOf, SCOPE_NAME_PATTERN } from '../../keys/apiKeys.ts';
import { randomBase32 } from '../../canonical.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { strictJsonBody } from '../middleware/jsonBody.ts';
import { ProblemError } from '../problem.ts';
import { bearerSecurity, freeText, ListingIdSchema, problemResponses } from '../schemas.ts';
import { auditEntry, requireKey, txMeta } from './kit.ts';

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

/** `POST /v1/brands/{brand}/verdicts` for that brand's keys. */
export function registerBrandVerdicts(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi({ ...route, middleware: [requireKey(deps, 'brand'), strictJsonBody()] }, async (c) => {
    const { brand } = c.req.valid('param');
    const body = c.req.valid('json');
    const principal = c.get('principal');
    const brandKey = brandKeyOf(brand);
    if (brandKey !== principal.brandKey) throw new ProblemError(403, 'brand-scope', 'Forbidden', 'a brand key records verdicts for its own brand only');
    const listingIds = [...new Set(body.listingIds)];
    const at = deps.clock();
    await deps.db.writeTx(async (tx) => {
      const rows = await tx.run('http/verdict-check', { listingIds });
      const refused = rows.filter((row) => !row.found || row.brandKey !== brandKey).map((row) => String(row.listingId));
      if (refused.length > 0) {
        throw new ProblemError(422, 'listings-not-of-brand', 'Listings not of this brand', `${refused.length} of the listings are unknown or not listings of ${brand}`, {
          errors: [{ field: 'body.listingIds', message: 'unknown or not of this brand' }],
          listingIds: refused,
        });
      }
      await tx.run('http/verdict-apply', {
        rows: listingIds.map((listingId) => ({ listingId, verdictId: `VD-${randomBase32(12)}` })),
        brand: principal.brand,
        brandKey,
        verdict: body.verdict,
        note: body.note ?? null,
        keyId: principal.keyId,
        at: at.toISOString(),
      });
      await appendAuditEvent(tx, auditEntry(c, 'brand.verdicts', `brand:${brandKey}`, { verdict: body.verdict, listings: listingIds.length }), at);
    }, txMeta(c));
    return c.json({ brand: principal.brand ?? brand, verdict: body.verdict, listingIds, recorded: listingIds.length }, 201);
  });
}
