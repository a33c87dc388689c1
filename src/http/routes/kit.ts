import type { Context, MiddlewareHandler } from 'hono';
import type { TxMeta } from '../../graph/db.ts';
import type { AuditActor } from '../../audit/auditLog.ts';
import type { Role } from '../../keys/principal.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { bearerAuth } from '../middleware/auth.ts';

/** What routes share: key checking, transaction metadata, audit of reads. */

/** Bearer key auth for `roles`, checked by the app's key verifier (verified keys cached briefly). */
export function requireKey(deps: AppDeps, roles: readonly Role[]): MiddlewareHandler<AppEnv> {
  return bearerAuth({ verifyToken: (token, requestId) => deps.keys.verify(token, requestId), roles });
}

/** Neo4j transaction metadata naming the route, the request and the key. */
export function txMeta(c: Context<AppEnv>): TxMeta {
  return { app: `http:${c.req.method} ${c.req.routePath}`, requestId: c.get('requestId'), keyId: c.get('principal')?.keyId };
}

/** Who acts in this request, for the audit log: its key and role, and the request. */
export function auditActor(c: Context<AppEnv>): AuditActor {
  const principal = c.get('principal');
  return { keyId: principal.keyId, role: principal.role, requestId: c.get('requestId') };
}

/**
 * Records a read (a dossier, a package download) in the audit log and returns once it is
 * committed, group-committed with the reads arriving meanwhile; a failed batch throws
 * AUDIT_UNAVAILABLE (503), so no read is answered unaudited.
 */
export async function auditRead(deps: AppDeps, c: Context<AppEnv>, action: string, target: string, detail?: Record<string, unknown>): Promise<void> {
  await deps.auditReads.record({ ...auditActor(c), action, target, detail }, deps.clock());
}
