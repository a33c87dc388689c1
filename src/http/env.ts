import type { KeyObject } from 'node:crypto';
import type { Db } from '../graph/db.ts';
import type { Logger } from '../log.ts';
import type { ApiConfig } from './config.ts';
import type { RateLimitBudget } from './middleware/rateLimit.ts';

export const ROLES = ['analyst', 'brand', 'agency', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: an API key's id, role and, for brands and agencies, the scope it is limited to. */
export interface Principal {
  keyId: string;
  role: Role;
  name: string;
  /** As given when the key was made, and as the key compared case-insensitively. */
  brand: string | null;
  brandKey: string | null;
  agency: string | null;
  agencyKey: string | null;
}

/** The service's Ed25519 key that signs evidence packages. */
export interface SigningKey {
  privateKey: KeyObject;
  publicKeyPem: string;
  /** `SHA256:<hex>` of the public key's DER (SPKI) bytes. */
  fingerprint: string;
}

/** Everything the app needs, passed in (never global) so that tests can fix each one. */
export interface AppDeps {
  db: Db;
  config: ApiConfig;
  clock: () => Date;
  logger: Logger;
  signingKey: SigningKey;
}

export interface AppVariables {
  /** The service's own id for this request (never the client's). */
  requestId: string;
  /** The client's X-Request-Id when well-formed: echoed and logged, never stored as ours. */
  clientRequestId?: string;
  principal: Principal;
  /** Set by the rate limiter on /v1 routes; `bearerAuth` settles it once the key is verified. */
  rateLimit?: RateLimitBudget;
}

export type AppEnv = { Variables: AppVariables };
