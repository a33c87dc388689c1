import { createHmac, randomBytes } from 'node:crypto';

/**
 * How a receiver knows a delivery is ringwatch's (docs/live.md, "Webhooks"): Stripe's scheme, so
 * that existing verifiers work with a header rename. `Ringwatch-Signature: t=<unix seconds>,v1=<hex>`
 * where the hex is HMAC-SHA256, keyed with the webhook's secret (the whole `whsec_…` string as
 * UTF-8), of `<t>.<raw body>`. The time is signed too, so a receiver that refuses an old `t`
 * refuses a replayed delivery.
 */

export const SIGNATURE_HEADER = 'Ringwatch-Signature';
export const EVENT_ID_HEADER = 'Ringwatch-Event-Id';

/** A new webhook secret: `whsec_` and 32 random bytes in base64url. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** The hex HMAC-SHA256 of `<t>.<body>` under `secret`. */
export function signPayload(secret: string, t: number, body: string): string {
  return createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex');
}

/** The `Ringwatch-Signature` value for `body` sent at `at`. */
export function signatureHeader(secret: string, at: Date, body: string): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${signPayload(secret, t, body)}`;
}
