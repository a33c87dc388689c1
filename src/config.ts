import { resolve } from 'node:path';
import { z } from 'zod';
import { RingwatchError } from './errors.ts';

/**
 * Where ringwatch finds Neo4j and how it logs, read once from the environment and validated.
 * Nothing else reads these variables. Other modules read others: src/http/config.ts the service's
 * own (RINGWATCH_DATA_DIR, _PORT, _HOST, _BODY_LIMIT_BYTES, _RATE_LIMIT_BURST,
 * _RATE_LIMIT_PER_SECOND, _DB_DEADLINE_MS, _REQUEST_TIMEOUT_MS, and the webhook dispatcher's
 * _WEBHOOK_POLL_MS, _WEBHOOK_TIMEOUT_MS, _WEBHOOK_CONCURRENCY, _WEBHOOK_RETRY_BASE_MS), validated
 * with parseEnvironment below; src/graph/localNeo4j.ts RINGWATCH_NEO4J_LIB, RINGWATCH_NEO4J_HEAP,
 * RINGWATCH_NEO4J_PAGECACHE and JAVA_HOME where it starts the managed Neo4j; src/cli/main.ts
 * RINGWATCH_DEBUG. The full list: docs/operations.md "Configuration".
 */
const envSchema = z.object({
  NEO4J_URI: z
    .string()
    .regex(/^(neo4j|neo4j\+s|neo4j\+ssc|bolt|bolt\+s|bolt\+ssc):\/\/.+/, 'must be a neo4j:// or bolt:// URI')
    .optional(),
  NEO4J_USER: z.string().min(1).default('neo4j'),
  NEO4J_PASSWORD: z.string().optional(),
  NEO4J_DATABASE: z.string().min(1).optional(),
  RINGWATCH_HOME: z.string().min(1).optional(),
  RINGWATCH_TEST_NEO4J: z.enum(['managed', 'docker']).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
});

export interface Neo4jConnection {
  uri: string;
  user: string;
  password: string;
  /** Omitted: the server's default database. */
  database?: string;
}

export interface RingwatchConfig {
  /** An existing server or cluster, when NEO4J_URI is set. */
  externalNeo4j?: Neo4jConnection;
  /** Home of the managed local Neo4j when no NEO4J_URI is given. */
  neo4jHome?: string;
  testNeo4j: 'managed' | 'docker';
  /** Unset: each entry point picks its own (commands `warn`, the server `info`). */
  logLevel?: string;
}

/**
 * Validates environment variables against a zod schema, empty values counting as unset; a bad
 * value is a CONFIG_INVALID error naming every failing variable.
 */
export function parseEnvironment<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.output<S> {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const detail = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new RingwatchError('CONFIG_INVALID', `invalid configuration: ${detail}`);
  }
  return parsed.data;
}

/** Reads and validates the configuration; a bad value is a CONFIG_INVALID error naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): RingwatchConfig {
  const e = parseEnvironment(envSchema, env);
  if (e.NEO4J_URI && e.NEO4J_PASSWORD === undefined) {
    throw new RingwatchError('CONFIG_INVALID', 'invalid configuration: NEO4J_URI is set but NEO4J_PASSWORD is not');
  }
  return {
    externalNeo4j: e.NEO4J_URI
      ? { uri: e.NEO4J_URI, user: e.NEO4J_USER, password: e.NEO4J_PASSWORD ?? '', database: e.NEO4J_DATABASE }
      : undefined,
    neo4jHome: e.RINGWATCH_HOME,
    testNeo4j: e.RINGWATCH_TEST_NEO4J ?? 'managed',
    logLevel: e.LOG_LEVEL,
  };
}

/** The default data folder: ignored by git, beside the managed Neo4j's cache. */
export const DEFAULT_DATA_DIR = '.cache/ringwatch-data';

const dataDirSchema = z.object({ RINGWATCH_DATA_DIR: z.string().min(1).optional() });

/**
 * The service's data folder (RINGWATCH_DATA_DIR), as an absolute path: its signing key, its
 * latest audit checkpoint and the stored referral packages. Commands beside the service read it
 * without the rest of the HTTP settings.
 */
export function loadDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(parseEnvironment(dataDirSchema, env).RINGWATCH_DATA_DIR ?? DEFAULT_DATA_DIR);
}
