import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { readReferralPackage } from '../../actions/referrals.ts';
import type { Role } from '../../keys/principal.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { PackageStore } from '../../evidence/packageStore.ts';
import { problems } from '../problems.ts';
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

/** Who may call this route (the routes table lists it). */
export const roles = ['analyst', 'agency'] as const satisfies readonly Role[];

/** `GET /v1/referrals/{referralId}/package` for that agency and analysts. */
export function registerReferralPackage(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const store = new PackageStore(deps.config.dataDir);
  app.openapi({ ...route, middleware: [requireKey(deps, roles)] }, async (c) => {
    const { referralId } = c.req.valid('param');
    const found = await readReferralPackage(deps.db, store, referralId, c.get('principal'), txMeta(c));
    if (!found) throw problems.referralNotFound(referralId);
    if (found.kind === 'damaged') {
      deps.logger.error({ requestId: c.get('requestId'), referralId }, 'stored referral package is missing or does not match its recorded hash');
      throw problems.packageUnavailable();
    }
    await auditRead(deps, c, 'referral.package.download', referralId, { ringId: found.ringId });
    return c.body(new Uint8Array(found.bytes), 200, {
      'content-type': 'application/zip',
      'content-disposition': `attachment; filename="${found.file}"`,
      'x-package-sha256': found.packageSha256,
    });
  });
}
