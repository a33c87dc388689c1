import { z } from 'zod';
import { loadDataDir, parseEnvironment } from '../config.ts';
import { GROUP_COMMIT_DEFAULTS } from '../audit/groupCommit.ts';
import { KEY_CACHE_DEFAULTS } from '../keys/keyCache.ts';
import { WEBHOOK_DISPATCHER_DEFAULTS, type WebhookDispatcherConfig } from '../webhooks/dispatcherConfig.ts';

/**
 * The HTTP service's own settings, read once from the environment and validated (the database
 * connection comes from src/config.ts). Every value has a default that suits one small machine.
 */
const envSchema = z.object({
  RINGWATCH_DATA_DIR: z.string().min(1).optional(),
  RINGWATCH_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  RINGWATCH_HOST: z.string().min(1).optional(),
  RINGWATCH_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).optional(),
  RINGWATCH_RATE_LIMIT_BURST: z.coerce.number().int().min(1).max(1_000_000).optional(),
  RINGWATCH_RATE_LIMIT_PER_SECOND: z.coerce.number().positive().max(1_000_000).optional(),
  RINGWATCH_AUDIT_BATCH_MAX: z.coerce.number().int().min(1).max(10_000).optional(),
  RINGWATCH_KEY_CACHE_TTL_MS: z.coerce.number().int().min(0).max(3_600_000).optional(),
  RINGWATCH_DB_DEADLINE_MS: z.coerce.number().int().min(100).max(600_000).optional(),
  RINGWATCH_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(3_600_000).optional(),
  RINGWATCH_WEBHOOK_POLL_MS: z.coerce.number().int().min(50).max(60_000).optional(),
  RINGWATCH_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).optional(),
  RINGWATCH_WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(100).optional(),
  // At most 10 s: the contract promises the first retry within 10 s (docs/live.md, "Webhooks").
  RINGWATCH_WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(50).max(10_000).optional(),
});

export interface ApiConfig {
  /** Holds the service's Ed25519 signing key and the stored referral packages. */
  dataDir: string;
  port: number;
  host: string;
  /** Largest request body accepted; 1,000 listing ids of 128 characters fit many times over. */
  bodyLimitBytes: number;
  /**
   * Token bucket per client address until a token is verified, then per verified API key. The
   * defaults (a burst of 60, 20/s) are a person's pace, far below what one process serves
   * (bench/RESULTS.md, "API latency": hundreds of dossiers a second), so one key cannot take
   * the service from the others.
   */
  rateLimit: { burst: number; perSecond: number };
  /** Most read audit events one group commit writes in one transaction (src/audit/groupCommit.ts). */
  auditBatchMax: number;
  /** How long a verified key is answered from memory (src/keys/keyCache.ts); 0: looked up on every request. */
  keyCacheTtlMs: number;
  /**
   * Longest any one database transaction of a request may take (connection, retries and all)
   * before the request answers 503: a stopped or frozen Neo4j costs a caller this long, not minutes.
   */
  dbDeadlineMs: number;
  /** Longest a client may take to send its whole request (headers and body): a slow body is a 408. */
  requestTimeoutMs: number;
  /** Most listings a dossier carries as evidence (the count of all of them is given beside). */
  dossierListingLimit: number;
  /** The webhook dispatcher `serve` runs beside the API (src/webhooks/dispatcher.ts). */
  webhooks: WebhookDispatcherConfig;
}

export const API_DEFAULTS: Omit<ApiConfig, 'dataDir'> = {
  port: 8080,
  host: '127.0.0.1',
  bodyLimitBytes: 1024 * 1024,
  rateLimit: { burst: 60, perSecond: 20 },
  auditBatchMax: GROUP_COMMIT_DEFAULTS.maxBatch,
  keyCacheTtlMs: KEY_CACHE_DEFAULTS.ttlMs,
  dossierListingLimit: 500,
  dbDeadlineMs: 4_000,
  requestTimeoutMs: 30_000,
  webhooks: WEBHOOK_DISPATCHER_DEFAULTS,
};

/** Reads and validates the HTTP settings; a bad value is a CONFIG_INVALID error naming the variable. */
export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const e = parseEnvironment(envSchema, env);
  return {
    ...API_DEFAULTS,
    dataDir: loadDataDir(env),
    port: e.RINGWATCH_PORT ?? API_DEFAULTS.port,
    host: e.RINGWATCH_HOST ?? API_DEFAULTS.host,
    bodyLimitBytes: e.RINGWATCH_BODY_LIMIT_BYTES ?? API_DEFAULTS.bodyLimitBytes,
    rateLimit: {
      burst: e.RINGWATCH_RATE_LIMIT_BURST ?? API_DEFAULTS.rateLimit.burst,
      perSecond: e.RINGWATCH_RATE_LIMIT_PER_SECOND ?? API_DEFAULTS.rateLimit.perSecond,
    },
    auditBatchMax: e.RINGWATCH_AUDIT_BATCH_MAX ?? API_DEFAULTS.auditBatchMax,
    keyCacheTtlMs: e.RINGWATCH_KEY_CACHE_TTL_MS ?? API_DEFAULTS.keyCacheTtlMs,
    dbDeadlineMs: e.RINGWATCH_DB_DEADLINE_MS ?? API_DEFAULTS.dbDeadlineMs,
    requestTimeoutMs: e.RINGWATCH_REQUEST_TIMEOUT_MS ?? API_DEFAULTS.requestTimeoutMs,
    webhooks: {
      pollMs: e.RINGWATCH_WEBHOOK_POLL_MS ?? WEBHOOK_DISPATCHER_DEFAULTS.pollMs,
      timeoutMs: e.RINGWATCH_WEBHOOK_TIMEOUT_MS ?? WEBHOOK_DISPATCHER_DEFAULTS.timeoutMs,
      concurrency: e.RINGWATCH_WEBHOOK_CONCURRENCY ?? WEBHOOK_DISPATCHER_DEFAULTS.concurrency,
      retryBaseMs: e.RINGWATCH_WEBHOOK_RETRY_BASE_MS ?? WEBHOOK_DISPATCHER_DEFAULTS.retryBaseMs,
    },
  };
}
