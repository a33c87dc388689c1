import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { agencyKeyOf, SCOPE_NAME_PATTERN } from '../auth/apiKeys.ts';
import { appendAuditEvent, auditEventsFor } from '../audit/auditLog.ts';
import { randomBase32, sha256Hex } from '../canonical.ts';
import { ANALYST_VIEW, loadDossier, loadRingGraph } from '../dossier.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { buildEvidencePackage, packageName } from '../package/evidencePackage.ts';
import { PackageStore } from '../package/packageStore.ts';
import { ProblemError } from '../problem.ts';
import { bearerSecurity, problemResponses, RingIdParams } from '../schemas.ts';
import { auditEntry, requireKey, txMeta } from './kit.ts';

export const ReferralBody = z
  .object({
    agency: z.string().regex(SCOPE_NAME_PATTERN, "must be 1 to 64 letters, digits, spaces or & ' . + _ -"),
    caseReference: z.string().min(1).max(128).regex(/^[^\p{Cc}]+$/u, 'must be one line of printable characters'),
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
    "stores it, and records its SHA-256. The agency's keys can then download it. Audited.",
  security: bearerSecurity,
  request: { params: RingIdParams, body: { required: true, content: { 'application/json': { schema: ReferralBody } } } },
  responses: {
    201: { description: 'referred', content: { 'application/json': { schema: ReferralResult } } },
    ...problemResponses(400, 401, 403, 404, 413, 415, 422),
  },
});

/** Most audit events an evidence package quotes. */
const AUDIT_EXCERPT_LIMIT = 1000;

/** `POST /v1/rings/{ringId}/referrals` for analysts. */
export function registerRingReferrals(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const store = new PackageStore(deps.config.dataDir);
  app.openapi({ ...route, middleware: [requireKey(deps, 'analyst')] }, async (c) => {
    const { ringId } = c.req.valid('param');
    const body = c.req.valid('json');
    const principal = c.get('principal');
    const meta = txMeta(c);
    const dossier = await loadDossier(deps.db, ringId, ANALYST_VIEW, deps.config.dossierListingLimit, meta);
    const graph = dossier ? await loadRingGraph(deps.db, ringId, meta) : null;
    if (!dossier || !graph) throw new ProblemError(404, 'ring-not-found', 'Ring not found', `there is no ring ${ringId}`);
    const auditExcerpt = await auditEventsFor(deps.db, [ringId], AUDIT_EXCERPT_LIMIT, meta.requestId);
    const referralId = `RF-${randomBase32(10)}`;
    const createdAt = deps.clock();
    const bytes = buildEvidencePackage({
      referral: { referralId, ringId, agency: body.agency, caseReference: body.caseReference, createdAt, referredBy: principal.keyId },
      dossier,
      graph,
      auditExcerpt,
      signingKey: deps.signingKey,
    });
    const packageSha256 = sha256Hex(bytes);
    const file = store.write(`${packageName(referralId)}.zip`, bytes);
    try {
      await deps.db.writeTx(async (tx) => {
        const [created] = await tx.run('http/referral-create', {
          referralId,
          ringId,
          agency: body.agency,
          agencyKey: agencyKeyOf(body.agency),
          caseReference: body.caseReference,
          packageSha256,
          packageFile: file,
          packageBytes: bytes.length,
          createdAt: createdAt.toISOString(),
          keyId: principal.keyId,
        });
        // The ring vanished between reading and writing (a detection run replaced it).
        if (!created) throw new ProblemError(404, 'ring-not-found', 'Ring not found', `there is no ring ${ringId}`);
        await appendAuditEvent(tx, auditEntry(c, 'ring.referral', ringId, { referralId, agency: body.agency, packageSha256 }), createdAt);
      }, meta);
    } catch (error) {
      store.remove(file);
      throw error;
    }
    return c.json({ referralId, agency: body.agency, packageSha256 }, 201);
  });
}
