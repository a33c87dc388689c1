import type { Db } from '../graph/db.ts';
import type { SigningKey } from '../evidence/signing.ts';
import type { AuditRecorder } from '../audit/groupCommit.ts';
import type { KeyVerifier } from '../keys/keyCache.ts';
import type { Principal } from '../keys/principal.ts';
import type { Logger } from '../log.ts';
import type { ApiConfig } from './config.ts';
import type { RateLimitBudget } from './middleware/rateLimit.ts';

/** Everything the app needs, passed in (never global) so that tests can fix each one. */
export interface AppDeps {
  db: Db;
  config: ApiConfig;
  clock: () => Date;
  logger: Logger;
  signingKey: SigningKey;
  /** Where reads' audit events go: group-committed (src/audit/groupCommit.ts). */
  auditReads: AuditRecorder;
  /** How bearer tokens are checked: against a short-lived cache of verified keys (src/keys/keyCache.ts). */
  keys: KeyVerifier;
}

/** What `createApp` is given: the read auditor and the key verifier are made from the config when not passed. */
export type AppInput = Omit<AppDeps, 'auditReads' | 'keys'> & Partial<Pick<AppDeps, 'auditReads' | 'keys'>>;

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
