import type { MiddlewareHandler } from 'hono';
import type { Principal, Role } from '../../keys/principal.ts';
import type { AppEnv } from '../env.ts';
import { problems } from '../problems.ts';

export interface BearerAuthOptions {
  /** The principal a token stands for, or null when it is not a valid, unrevoked key. */
  verifyToken: (token: string, requestId: string) => Promise<Principal | null>;
  /** Roles allowed through; any other valid key gets 403. */
  roles: readonly Role[];
}

/**
 * Requires `Authorization: Bearer <token>` of a live key with one of `roles`, and puts its
 * principal on the context. No key or a bad key is 401; a valid key of another role is 403.
 * Scope (which brand, which agency) is checked by the route, which knows what is asked for.
 */
export function bearerAuth(options: BearerAuthOptions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const match = header ? /^Bearer[ ]+([^\s]+)\s*$/i.exec(header) : null;
    if (!match?.[1]) throw problems.missingApiKey();
    const principal = await options.verifyToken(match[1], c.get('requestId'));
    if (!principal) throw problems.invalidApiKey();
    // From here on the verified key pays for the request, not its address.
    c.get('rateLimit')?.settle(principal.keyId);
    if (!options.roles.includes(principal.role)) throw problems.forbiddenRole(options.roles, principal.role);
    c.set('principal', principal);
    await next();
  };
}
