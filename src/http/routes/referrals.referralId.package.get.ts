import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { sha256Hex } from '../../canonical.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { PackageStore } from '../../evidence/packageStore.ts';
import { ProblemError } from '../problem.ts';
import { bearerSecurity, problemResponses, REFERRAL_ID_PATTERN } from '../schemas.ts';
import { auditRead, requireKey, txMeta } from './kit.ts';

const Params = z.object({
  referralId: z
    .string()
    .regex(REFERRAL_ID_PATTERN, 'must be RF- followed by 10 base32 characters (A-Z, 2-7)')
    .openapi({ param: { name: 'referralId', in: 'path' }, example: 'RF-ABCDEFGHIJ' }),
});

export const route = createRoute({
  method: 'get',
  path: '/v1/referrals/{referralId}/package',
  tags: ['referrals'],
  summary: 'Download a referral’s signed evidence package',
  description:
    "The agency's keys (and analysts) download the package as made at referral time: a zip holding one BagIt bag, signed with Ed25519. " +
    'Check it offline with `ringwatch verify FILE --public-key KEY.pem`. Another agency gets 404. Audited.',
  security: bearerSecurity,
  request: { params: Params },
  responses: {
    200: {
      description: 'the package bytes',
      headers: { 'x-package-sha256': { schema: { type: 'string' }, description: 'SHA-256 of the bytes' } },
      content: { 'application/zip': { schema: z.string().openapi({ format: 'binary' }) } },
    },
    ...problemResponses(400, 401, 403, 404),
  },
});

/** `GET /v1/referrals/{referralId}/package` for that agency and analysts. */
export function registerReferralPackage(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const store = new PackageStore(deps.config.dataDir);
  app.openapi({ ...route, middleware: [requireKey(deps, 'analyst', 'agency')] }, async (c) => {
    const { referralId } = c.req.valid('param');
    const principal = c.get('principal');
    const [referral] = await deps.db.read('http/referral-find', { referralId }, txMeta(c));
    // Another agency's referral is answered exactly as one that does not exist.
    if (!referral || (principal.role === 'agency' && referral.agencyKey !== principal.agencyKey)) {
      throw new ProblemError(404, 'referral-not-found', 'Referral not found', `there is no referral ${referralId} for this key`);
    }
    const bytes = store.read(String(referral.packageFile));
    if (!bytes || sha256Hex(bytes) !== referral.packageSha256) {
      deps.logger.error({ requestId: c.get('requestId'), referralId }, 'stored referral package is missing or does not match its recorded hash');
      throw new ProblemError(500, 'package-unavailable', 'Package unavailable', 'the stored package is missing or damaged; the operator has been told');
    }
    await auditRead(deps, c, 'referral.package.download', referralId, { ringId: referral.ringId });
    return c.body(new Uint8Array(bytes), 200, {
      'content-type': 'application/zip',
      'content-disposition': `attachment; filename="${String(referral.packageFile)}"`,
      'x-package-sha256': String(referral.packageSha256),
    });
  });
}
