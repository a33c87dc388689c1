import pino, { type Logger } from 'pino';

/**
 * Personal data must never reach a log line: these keys are censored wherever they appear,
 * even when a record or a driver parameter map is logged by mistake.
 */
const PERSONAL_DATA_PATHS = [
  'accountId', 'account_id', 'phone', 'senderPhone', 'sender_phone', 'email', 'address',
  'line1', 'line2', 'postal_code', 'postalCode', 'carrier_account', 'carrierAccount',
  'holder_name', 'holderName', 'raw', 'password', 'token', 'authorization',
];

const redactPaths = PERSONAL_DATA_PATHS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

/** Creates the process logger: structured JSON on stderr, personal data censored. */
export function createLogger(options: { level?: string; name?: string } = {}): Logger {
  return pino(
    {
      name: options.name ?? 'ringwatch',
      level: options.level ?? 'info',
      redact: { paths: redactPaths, censor: '[redacted]' },
    },
    pino.destination(2),
  );
}

export type { Logger };
