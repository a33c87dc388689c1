import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Personal data must never reach a log line: these keys are censored wherever they appear in the
 * first three levels of objects of a line (as `key`, `*.key` and `*.*.key` would be; an array is
 * searched as deep as the object holding it, so a list of records logged by mistake is covered),
 * even when a record or a driver parameter map is logged by mistake.
 */
const PERSONAL_DATA_KEYS: ReadonlySet<string> = new Set([
  'accountId', 'account_id', 'phone', 'senderPhone', 'sender_phone', 'email', 'address',
  'line1', 'line2', 'postal_code', 'postalCode', 'carrier_account', 'carrierAccount',
  'holder_name', 'holderName', 'raw', 'password', 'token', 'authorization',
]);

export const CENSOR = '[redacted]';

/**
 * Lines are buffered and written 4 KiB at a time, or every 200 ms, whichever comes first: a write
 * per line was a system call (and, written asynchronously, a thread-pool job and its wake-up) on
 * every request's path, a tenth of the service's capacity for screenings (bench/RESULTS.md, "API
 * latency"). pino flushes what is left when the process exits; SIGKILL loses at most the last
 * 200 ms of lines (the audit log, not this, is the record of what was read).
 */
const LOG_BUFFER_BYTES = 4096;
const LOG_FLUSH_MS = 200;

/** Levels below the line's own that are searched: key, *.key, *.*.key. */
const CENSOR_DEPTH = 2;

/**
 * `value` with every personal key down to CENSOR_DEPTH censored. Copies only the objects and
 * arrays it changes, so the caller's are never touched and a line without personal data (every
 * request line) costs a set lookup per key. pino's own `redact` does the same job by path, and
 * with wildcard paths ran on every value of every line: 4 % of the service's CPU per screening
 * (bench/RESULTS.md, "API latency"). Only plain objects and arrays are searched: an Error or a
 * driver value is serialised by its own rules.
 */
export function censorPersonalData<T>(value: T, depth = 0): T {
  if (Array.isArray(value)) {
    if (depth > CENSOR_DEPTH) return value;
    let copy: unknown[] | null = null;
    value.forEach((element, i) => {
      const censored = censorPersonalData(element, depth);
      if (censored !== element) (copy ??= [...value])[i] = censored;
    });
    return (copy ?? value) as T;
  }
  if (value === null || typeof value !== 'object' || depth > CENSOR_DEPTH) return value;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const object = value as Record<string, unknown>;
  let copy: Record<string, unknown> | null = null;
  for (const key of Object.keys(object)) {
    const field = object[key];
    const censored = PERSONAL_DATA_KEYS.has(key) ? CENSOR : censorPersonalData(field, depth + 1);
    if (censored !== field) (copy ??= { ...object })[key] = censored;
  }
  return (copy ?? object) as T;
}

/**
 * Creates the process logger: structured JSON on stderr (or `destination`, for tests), personal
 * data censored in what is logged. A child logger's bindings are not searched (pino does not pass
 * them through the formatter): give a child ids only. The service makes none.
 */
export function createLogger(options: { level?: string; name?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      name: options.name ?? 'ringwatch',
      level: options.level ?? 'info',
      formatters: { log: (object) => censorPersonalData(object) },
    },
    options.destination ?? pino.destination({ dest: 2, sync: false, minLength: LOG_BUFFER_BYTES, periodicFlush: LOG_FLUSH_MS }),
  );
}

export type { Logger };
