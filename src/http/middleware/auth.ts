import type { MiddlewareHandler } from 'hono';
import type { Principal, Role } from '../../keys/principal.ts';
import type { AppEnv } from '../env.ts';
import { ProblemError } from '../problem.ts';

export interface BearerAuthOptions {
  /** The principal a token stands for, or null when it is not a valid, unrevoked key. */
  verifyToken: (token: string, requestId: string) => Promise<Principal | null>;
  /** Roles allowed through; any other valid key gets 403. */
  roles: readonly Role[];
}

const challenge = { 'www-authenticate': 'Bearer realm="ringwatch"' };

/**
 * Requires `Authorization: Bearer <token>` of a live key with one of `roles`, and puts its
 * principal on the context. No key or a bad key is 401; a valid key of another role is 403.
 * Scope (which brand, which agency) is checked by the route, which knows what is asked for.
 */
export function bearerAuth(options: BearerAuthOptions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const match = header ? /^Bearer[ ]+([^\s]+)\s*$/i.exec(header) : null;
    if (!match?.[1]) {
      throw new ProblemError(401, 'unauthorized', 'Authentication required', 'send an API key as `Authorization: Bearer <token>`', {}, challenge);
    }
    const principal = await options.verifyToken(match[1], c.get('requestId'));
    if (!principal) {
      throw new ProblemError(401, 'invalid-api-key', 'Invalid API key', 'the API key is unknown, malformed or revoked', {}, challenge);
    }
    // From here on the verified key pays for the request, not its address.
    c.get('rateLimit')?.settle(principal.keyId);
    if (!options.roles.includes(principal.role)) {
      throw new ProblemError(403, 'forbidden-role', 'Forbidden', `this route is for ${options.roles.join(' or ')} keys; this key is a ${principal.role} key`);
    }
    c.set('principal', principal);
    await next();
  };
}
