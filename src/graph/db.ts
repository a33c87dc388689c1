import neo4j, {
  type Driver,
  type ManagedTransaction,
  type QueryResult,
  type RecordShape,
  isInt,
  isDate,
  isDateTime,
  isLocalDateTime,
  isDuration,
  isRetryableError,
  Neo4jError,
} from 'neo4j-driver';
import type { Neo4jConnection } from '../config.ts';
import { RingwatchError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { cypher } from './cypher.ts';
import { CYPHER_VOCABULARY } from '../vocabulary.ts';

/** Who ran a statement: put into Neo4j's transaction metadata so `SHOW TRANSACTIONS` and query logs tell. */
export interface TxMeta {
  /** e.g. `cli:ingest`, `http:GET /v1/rings/{ringId}` */
  app: string;
  requestId?: string;
  [key: string]: unknown;
}

export type Row = Record<string, unknown>;

export interface Tx {
  /** Runs the named statement from cypher/ in this transaction and returns plain rows. */
  run(name: string, params?: Record<string, unknown>): Promise<Row[]>;
}

/**
 * The one door to Neo4j. Names the database, runs statements through managed transactions
 * (`executeRead`/`executeWrite`, retried by the driver on transient failures) or, for one read
 * statement, as an auto-commit query retried here (`read`), loads statements by
 * name from `cypher/` (each gets the shared words as `$vocabulary`), maps driver errors to
 * RingwatchError at this single boundary, and turns Neo4j values into plain JavaScript
 * deliberately (`toPlain`), never leaking an `Integer`.
 */
export class Db {
  readonly driver: Driver;
  readonly database: string | undefined;
  private readonly logger: Logger | undefined;

  /** Longest a transaction may take, end to end, before it fails as NEO4J_UNAVAILABLE (undefined: no limit). */
  private readonly deadlineMs: number | undefined;

  constructor(connection: Neo4jConnection, options: DbOptions = {}) {
    const deadlineMs = options.deadlineMs;
    this.driver = neo4j.driver(connection.uri, neo4j.auth.basic(connection.user, connection.password), {
      maxConnectionPoolSize: options.maxPoolSize ?? 50,
      // With a deadline, no single wait of the driver's may outlast it: not the wait for a pooled
      // connection, not a TCP connect to a host that drops packets, not the retries of a transaction.
      connectionAcquisitionTimeout: deadlineMs ?? 30_000,
      ...(deadlineMs === undefined ? {} : { connectionTimeout: Math.min(2_000, deadlineMs), maxTransactionRetryTime: deadlineMs }),
      disableLosslessIntegers: false,
      userAgent: 'ringwatch',
    });
    this.database = connection.database;
    this.logger = options.logger;
    this.deadlineMs = deadlineMs;
  }

  /** Fails with NEO4J_UNAVAILABLE or NEO4J_AUTH when the server cannot be used. */
  async verify(): Promise<{ version: string; edition: string }> {
    // One connection attempt first: fails in milliseconds, where a managed transaction would retry for 30 s.
    try {
      await this.withinDeadline(() => this.driver.getServerInfo({ database: this.database }), 'connecting');
    } catch (error) {
      throw mapDriverError(error, 'connecting');
    }
    const rows = await this.read('system/components', {}, { app: 'ringwatch:verify' });
    const row = rows[0] ?? {};
    return { version: String((row.versions as string[] | undefined)?.[0] ?? 'unknown'), edition: String(row.edition ?? '') };
  }

  /**
   * One read statement, as an auto-commit query: one round trip and one socket write (RUN and
   * PULL together), where a managed transaction takes a BEGIN, the statement and a COMMIT of its
   * own. A statement reads one snapshot either way, so it sees no less consistent a graph. These
   * are the hot reads of the API (a screening, a dossier, a page of rings), where the commit's
   * round trip was a third of the driver's work. Retried, like a managed transaction, when the
   * failure is transient (a read has no effect to repeat), within the deadline.
   */
  async read(name: string, params: Record<string, unknown> = {}, meta: TxMeta = { app: 'ringwatch' }): Promise<Row[]> {
    return this.runAutoCommit('READ', name, params, meta, READ_ATTEMPTS);
  }

  async write(name: string, params: Record<string, unknown> = {}, meta: TxMeta = { app: 'ringwatch' }): Promise<Row[]> {
    return this.writeTx((tx) => tx.run(name, params), meta);
  }

  /** Several statements in one read transaction. */
  async readTx<T>(work: (tx: Tx) => Promise<T>, meta: TxMeta = { app: 'ringwatch' }): Promise<T> {
    return this.transaction('READ', work, meta);
  }

  /** Several statements in one write transaction: all of them happen, or none. */
  async writeTx<T>(work: (tx: Tx) => Promise<T>, meta: TxMeta = { app: 'ringwatch' }): Promise<T> {
    return this.transaction('WRITE', work, meta);
  }

  /**
   * Streams the rows of a read statement without holding them all: for projections over the whole
   * marketplace. Runs as an auto-commit query (a stream cannot be replayed by a retry).
   */
  async *stream(name: string, params: Record<string, unknown> = {}, meta: TxMeta = { app: 'ringwatch' }): AsyncGenerator<Row> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.READ });
    try {
      const result = session.run(cypher(name), withVocabulary(params), { metadata: meta });
      for await (const record of result) yield toPlainRecord(record.toObject());
    } catch (error) {
      throw mapDriverError(error, name);
    } finally {
      await session.close();
    }
  }

  /**
   * Runs a statement as an auto-commit transaction: needed for `CALL { … } IN TRANSACTIONS`, which
   * commits in batches of its own and cannot run inside a managed transaction; and one round trip
   * where a managed transaction takes two (its commit is a message of its own), for a write whose
   * caller handles a failure itself. Not retried; within the deadline, when there is one.
   */
  async autoCommit(name: string, params: Record<string, unknown> = {}, meta: TxMeta = { app: 'ringwatch' }): Promise<Row[]> {
    return this.runAutoCommit('WRITE', name, params, meta, 1);
  }

  /**
   * One statement as an auto-commit query in a session of `mode`, within the deadline, tried up to
   * `attempts` times while the failure is transient (only a read has no effect to repeat).
   */
  private async runAutoCommit(mode: 'READ' | 'WRITE', name: string, params: Record<string, unknown>, meta: TxMeta, attempts: number): Promise<Row[]> {
    return this.withinDeadline(async () => {
      const statement = cypher(name);
      const parameters = withVocabulary(params);
      for (let attempt = 1; ; attempt++) {
        // Reads go without notifications: these are the service's own statements, and the hints
        // Neo4j attaches to each result (decoded by the driver on every read, then dropped) are
        // read in development.
        const session = this.driver.session({
          database: this.database,
          defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE,
          ...(mode === 'READ' ? { notificationFilter: { minimumSeverityLevel: 'OFF' as const } } : {}),
        });
        try {
          const result = await withoutCallerStack(() => session.run(statement, parameters, this.transactionConfig(meta)));
          return result.records.map((record) => toPlainRecord(record.toObject()));
        } catch (error) {
          if (attempt < attempts && isRetryableError(error)) {
            await new Promise((resolve) => setTimeout(resolve, READ_RETRY_DELAY_MS * attempt));
            continue;
          }
          throw mapDriverError(error, name);
        } finally {
          await session.close();
        }
      }
    }, meta.app);
  }

  /** The metadata every transaction carries, and the deadline as its server-side timeout when there is one. */
  private transactionConfig(meta: TxMeta): { metadata: TxMeta; timeout?: number } {
    return this.deadlineMs === undefined ? { metadata: meta } : { metadata: meta, timeout: this.deadlineMs };
  }

  async close(): Promise<void> {
    await this.driver.close();
  }

  private async transaction<T>(mode: 'READ' | 'WRITE', work: (tx: Tx) => Promise<T>, meta: TxMeta): Promise<T> {
    return this.withinDeadline(() => this.runTransaction(mode, work, meta), meta.app);
  }

  /**
   * Runs `operation`, failing with NEO4J_UNAVAILABLE once the deadline has passed. The driver's
   * own timeouts cannot see a server that accepted the connection and then stopped answering (a
   * frozen JVM, a full GC, a dead network path): this clock can. The abandoned operation goes on
   * in the background until the server answers or its transaction timeout (the same deadline,
   * sent with the transaction) ends it; its late outcome is ignored. A write that was already
   * committing may still commit: the caller answered 503, and a retry under the same
   * Idempotency-Key replays it rather than doing it twice.
   */
  private async withinDeadline<T>(operation: () => Promise<T>, what: string): Promise<T> {
    const deadlineMs = this.deadlineMs;
    if (deadlineMs === undefined) return operation();
    const running = operation();
    running.catch(() => undefined); // a late failure after the deadline is nobody's to handle
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RingwatchError('NEO4J_UNAVAILABLE', `Neo4j did not answer ${what} within ${deadlineMs} ms`)), deadlineMs);
    });
    try {
      return await Promise.race([running, expired]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async runTransaction<T>(mode: 'READ' | 'WRITE', work: (tx: Tx) => Promise<T>, meta: TxMeta): Promise<T> {
    const session = this.driver.session({
      database: this.database,
      defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE,
    });
    const started = performance.now();
    try {
      const execute = (managed: ManagedTransaction) => {
        return work({
          run: async (name, params = {}) => {
            const result: QueryResult<RecordShape> = await managed.run(cypher(name), withVocabulary(params));
            return result.records.map((record) => toPlainRecord(record.toObject()));
          },
        });
      };
      const config = this.transactionConfig(meta);
      const value = mode === 'READ' ? await session.executeRead(execute, config) : await session.executeWrite(execute, config);
      this.logger?.debug({ app: meta.app, mode, ms: Math.round(performance.now() - started) }, 'transaction');
      return value;
    } catch (error) {
      throw mapDriverError(error, meta.app);
    } finally {
      await session.close();
    }
  }
}

/**
 * Starts a driver query without the stack trace the driver captures for every result it makes
 * (to put the caller's frames on an error the result may later fail with): formatting it was 6 %
 * of the service's CPU per screening (bench/RESULTS.md, "API latency"), paid on every query for
 * the rare error, and the errors leave this module mapped (mapDriverError) with the statement's
 * name, which says more than the frames. `start` must make its result synchronously, as
 * `session.run` does.
 */
function withoutCallerStack<T>(start: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return start();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Tries of a one-statement read before a transient failure is the caller's (the driver's managed transactions retry for up to 30 s; a read in the API's path should fail fast). */
const READ_ATTEMPTS = 3;
const READ_RETRY_DELAY_MS = 50;

/** Every statement's parameters with the shared words added (src/vocabulary.ts, CYPHER_VOCABULARY). */
function withVocabulary(params: Record<string, unknown>): Record<string, unknown> {
  return { vocabulary: CYPHER_VOCABULARY, ...params };
}

export interface DbOptions {
  logger?: Logger;
  maxPoolSize?: number;
  /**
   * For a service answering people: every transaction (with its retries and its wait for a
   * connection) fails as NEO4J_UNAVAILABLE after this long, so a request gets a 503 instead of
   * waiting on a database that is gone. Batch commands (ingest, detect) leave it unset.
   */
  deadlineMs?: number;
}

/** Maps what the driver throws to the project's own errors; anything of ours passes through. */
export function mapDriverError(error: unknown, context: string): unknown {
  if (error instanceof RingwatchError) return error;
  if (error instanceof Neo4jError) {
    const code = error.code ?? '';
    if (code === 'ServiceUnavailable' || code === 'SessionExpired' || code.startsWith('Neo.TransientError.General.DatabaseUnavailable')) {
      return new RingwatchError('NEO4J_UNAVAILABLE', `Neo4j is not reachable (${firstLine(error.message)})`, { cause: error });
    }
    if (code.startsWith('Neo.ClientError.Security.')) {
      return new RingwatchError('NEO4J_AUTH', `Neo4j refused the credentials (${code})`, { cause: error });
    }
    if (code === 'Neo.ClientError.Schema.ConstraintValidationFailed') {
      return new RingwatchError('CONFLICT', `${context}: the write would ${constraintBroken(error.message)}; try again`, { cause: error });
    }
    if (code.startsWith('Neo.ClientError.')) {
      return new RingwatchError('NEO4J_CLIENT', `Neo4j rejected ${context}: ${code}: ${firstLine(error.message)}`, { cause: error });
    }
  }
  return error;
}

/**
 * The label and property a uniqueness constraint guards, from Neo4j's message ("Node(12) already
 * exists with label `Closure` and property `closureId` = 'CL-…'"), never the value, which may be
 * a client's input.
 */
function constraintBroken(message: string): string {
  const match = /label `([^`]+)` and propert(?:y|ies) `([^`]+)`/.exec(message);
  return match ? `make a second ${match[1]} with the same ${match[2]}` : 'break a uniqueness constraint';
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

function toPlainRecord(record: Record<string, unknown>): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(record)) out[key] = toPlain(value);
  return out;
}

/**
 * Converts Neo4j values to plain JavaScript: integers to numbers (an integer beyond 2^53 is an
 * error, not a silent rounding), temporal values to ISO strings, nodes and relationships to their
 * properties, lists and maps recursively.
 */
export function toPlain(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  // Strings, numbers and booleans are most of what a dossier holds: no driver type to test them for.
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (isInt(value)) {
    if (!value.inSafeRange()) throw new RangeError(`integer ${value.toString()} is beyond JavaScript's safe range`);
    return value.toNumber();
  }
  if (typeof value === 'bigint') return Number(value);
  if (isDateTime(value) || isDate(value) || isLocalDateTime(value) || isDuration(value)) {
    return isDateTime(value) ? new Date(value.toString()).toISOString() : value.toString();
  }
  if (Array.isArray(value)) return value.map(toPlain);
  if (typeof value === 'object') {
    const maybeGraph = value as { properties?: Record<string, unknown>; labels?: string[]; type?: string; elementId?: string };
    if (maybeGraph.properties && maybeGraph.elementId !== undefined) return toPlainRecord(maybeGraph.properties);
    return toPlainRecord(value as Record<string, unknown>);
  }
  return value;
}

/** An integer parameter for Cypher (LIMIT, SKIP and integer properties must not arrive as floats). */
export const int = (n: number) => neo4j.int(Math.trunc(n));
