import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { agencyKeyOf, SCOPE_NAME_PATTERN } from '../../keys/apiKeys.ts';
import { appendAuditEvent, auditEventsFor } from '../../audit/auditLog.ts';
import { takeCheckpoint } from '../../audit/checkpoints.ts';
import { canonicalJson, randomBase32, sha256Hex } from '../../canonical.ts';
import { ANALYST_VIEW, loadDossier, loadRingGraph } from '../../dossier/dossier.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { buildEvidencePackage, packageName } from '../../evidence/evidencePackage.ts';
import { PackageStore } from '../../evidence/packageStore.ts';
import { strictJsonBody } from '../middleware/jsonBody.ts';
import { ProblemError } from '../problem.ts';
import { bearerSecurity, freeText, IdempotencyHeaders, problemResponses, RingIdParams } from '../schemas.ts';
import { auditEntry, auditRead, requireKey, txMeta } from './kit.ts';
import type { Row } from '../../graph/db.ts';

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

/** Most audit events an evidence package quotes. */
const AUDIT_EXCERPT_LIMIT = 1000;

/** `POST /v1/rings/{ringId}/referrals` for analysts. */
export function registerRingReferrals(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const store = new PackageStore(deps.config.dataDir);
  app.openapi({ ...route, middleware: [requireKey(deps, 'analyst'), strictJsonBody()] }, async (c) => {
    const { ringId } = c.req.valid('param');
    const idempotencyKey = c.req.valid('header')['idempotency-key'];
    const body = c.req.valid('json');
    const principal = c.get('principal');
    const meta = txMeta(c);
    const scope = `${principal.keyId}:${idempotencyKey}`;
    const requestHash = sha256Hex(canonicalJson({ ringId, agency: body.agency, caseReference: body.caseReference }));
    const replay = async (row: Row) => {
      if (row.requestHash !== requestHash) {
        throw new ProblemError(422, 'idempotency-key-reused', 'Idempotency-Key reused', 'this Idempotency-Key was used with another request body; use a new key for a new request');
      }
      await auditRead(deps, c, 'ring.referral.replay', ringId, { referralId: row.referralId });
      c.header('idempotent-replayed', 'true');
      return c.json({ referralId: String(row.referralId), agency: String(row.agency), packageSha256: String(row.packageSha256) }, 201);
    };
    // A repeat finds its referral without building a package; requests racing with one key are
    // settled by the claim in referral-create.
    const [existing] = await deps.db.read('http/referral-find-scope', { scope }, meta);
    if (existing) return replay(existing);

    const dossier = await loadDossier(deps.db, ringId, ANALYST_VIEW, deps.config.dossierListingLimit, meta);
    const graph = dossier ? await loadRingGraph(deps.db, ringId, meta) : null;
    if (!dossier || !graph) throw new ProblemError(404, 'ring-not-found', 'Ring not found', `there is no ring ${ringId}`);
    const auditExcerpt = await auditEventsFor(deps.db, [ringId], AUDIT_EXCERPT_LIMIT, meta.requestId);
    const auditCheckpoint = await takeCheckpoint({ db: deps.db, signingKey: deps.signingKey, clock: deps.clock, dataDir: deps.config.dataDir, requestId: meta.requestId });
    const referralId = `RF-${randomBase32(10)}`;
    const createdAt = deps.clock();
    const bytes = buildEvidencePackage({
      referral: { referralId, ringId, agency: body.agency, caseReference: body.caseReference, createdAt, referredBy: principal.keyId },
      dossier,
      graph,
      auditExcerpt,
      auditCheckpoint,
      signingKey: deps.signingKey,
    });
    const packageSha256 = sha256Hex(bytes);
    const file = store.write(`${packageName(referralId)}.zip`, bytes);
    let claim: Row | undefined;
    try {
      claim = await deps.db.writeTx(async (tx) => {
        const [row] = await tx.run('http/referral-create', {
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
          scope,
          idempotencyKey,
          requestHash,
        });
        // The ring vanished between reading and writing (a detection run replaced it).
        if (!row) throw new ProblemError(404, 'ring-not-found', 'Ring not found', `there is no ring ${ringId}`);
        if (row.created) await appendAuditEvent(tx, auditEntry(c, 'ring.referral', ringId, { referralId, agency: body.agency, packageSha256 }), createdAt);
        return row;
      }, meta);
    } catch (error) {
      store.remove(file);
      throw error;
    }
    if (!claim.created) {
      store.remove(file);
      return replay(claim);
    }
    return c.json({ referralId, agency: body.agency, packageSha256 }, 201);
  });
}
