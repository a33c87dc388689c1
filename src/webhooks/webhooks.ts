import { randomUUID } from 'node:crypto';
import { RingwatchError } from '../errors.ts';
import type { Db } from '../graph/db.ts';
import { appendAuditEvent } from '../audit/auditLog.ts';
import { randomBase32 } from '../canonical.ts';
import { agencyKeyOf, brandKeyOf, SCOPE_NAME_PATTERN } from '../keys/apiKeys.ts';
import { ALERT_KINDS, WEBHOOK_ID_LENGTH, WEBHOOK_ID_PATTERN, WEBHOOK_ID_PREFIX, type AlertKind } from '../vocabulary.ts';
import { hostRefusal, systemResolver, type Resolver } from './addressGuard.ts';
import { newWebhookSecret } from './signature.ts';

/**
 * Webhooks: where `serve` posts the alerts a scope may see (docs/live.md, "Webhooks"). Each is a
 * `(:Webhook)` with its URL, the alert kinds it wants, an optional brand or agency scope and its
 * signing secret. The secret is stored as it is, because every delivery is signed with it: whoever
 * can read the database can sign as ringwatch to that receiver. It is shown once, when made, and
 * forgotten when the webhook is removed.
 */

export interface NewWebhook {
  url: string;
  events: AlertKind[];
  brand?: string;
  agency?: string;
  /** Let the URL reach loopback and private networks (an on-premise receiver, tests). */
  allowPrivate?: boolean;
}

export interface WebhookInfo {
  webhookId: string;
  url: string;
  events: AlertKind[];
  brand: string | null;
  agency: string | null;
  allowPrivate: boolean;
  createdAt: string;
  removedAt: string | null;
  deliveries: { pending: number; delivered: number; failed: number; cancelled: number };
}

/** A webhook as `webhooks add` made it: what `list` shows of it, and its secret. */
export type CreatedWebhook = Omit<WebhookInfo, 'removedAt' | 'deliveries'> & {
  /** Shown this once. */
  secret: string;
};

/** Parses a webhook URL: http or https, a host, no user name or password (they would be shown by `webhooks list`). */
export function parseWebhookUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RingwatchError('INPUT_INVALID', 'the webhook URL is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RingwatchError('INPUT_INVALID', 'the webhook URL must be http:// or https://');
  if (url.username !== '' || url.password !== '') throw new RingwatchError('INPUT_INVALID', 'the webhook URL must not carry a user name or password; receivers verify the Ringwatch-Signature instead');
  if (url.hostname === '') throw new RingwatchError('INPUT_INVALID', 'the webhook URL has no host');
  if (text.length > 2000) throw new RingwatchError('INPUT_INVALID', 'the webhook URL is over 2000 characters');
  return url;
}

/** The alert kinds a comma-separated list names, each once; INPUT_INVALID for an unknown one or none. */
export function parseEvents(text: string): AlertKind[] {
  const names = text.split(',').map((name) => name.trim()).filter((name) => name.length > 0);
  const unknown = names.filter((name) => !(ALERT_KINDS as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) throw new RingwatchError('INPUT_INVALID', `--events must list alert kinds among ${ALERT_KINDS.join(', ')}`);
  return ALERT_KINDS.filter((kind) => names.includes(kind));
}

/**
 * Adds a webhook and audits it. Refuses (INPUT_INVALID, one line) a URL that is not http(s), and,
 * without `allowPrivate`, one whose host is or resolves to an address that is not public
 * (src/webhooks/addressGuard.ts). Returns the secret, the only time it is seen.
 */
export async function addWebhook(db: Db, input: NewWebhook, clock: () => Date, options: { resolve?: Resolver; actor?: string } = {}): Promise<CreatedWebhook> {
  const url = parseWebhookUrl(input.url);
  const events = parseEvents(input.events.join(','));
  if (input.brand !== undefined && input.agency !== undefined) throw new RingwatchError('INPUT_INVALID', 'a webhook is for one brand or one agency, not both');
  for (const [what, value] of [['brand', input.brand], ['agency', input.agency]] as const) {
    if (value !== undefined && !SCOPE_NAME_PATTERN.test(value)) throw new RingwatchError('INPUT_INVALID', `${what} must be 1 to 64 letters, digits, spaces or & ' . + _ -`);
  }
  const allowPrivate = input.allowPrivate ?? false;
  if (!allowPrivate) {
    const refusal = await hostRefusal(url, options.resolve ?? systemResolver);
    if (refusal !== null) throw new RingwatchError('INPUT_INVALID', `refusing ${url.protocol}//${url.host}: ${refusal}; use --allow-private for a receiver on your own network`);
  }
  const webhookId = `${WEBHOOK_ID_PREFIX}${randomBase32(WEBHOOK_ID_LENGTH)}`;
  const secret = newWebhookSecret();
  const at = clock();
  const scope = input.brand !== undefined ? 'brand' : input.agency !== undefined ? 'agency' : 'all';
  await db.writeTx(async (tx) => {
    await tx.run('webhooks/create', {
      webhookId,
      url: url.href,
      events,
      secret,
      brand: input.brand ?? null,
      brandKey: input.brand === undefined ? null : brandKeyOf(input.brand),
      agency: input.agency ?? null,
      agencyKey: input.agency === undefined ? null : agencyKeyOf(input.agency),
      allowPrivate,
      createdAt: at.toISOString(),
    });
    await appendAuditEvent(tx, { keyId: options.actor ?? 'cli', role: 'admin', action: 'webhook.create', target: webhookId, requestId: `cli-${randomUUID()}`, detail: { events, scope, allowPrivate } }, at);
  }, { app: 'webhooks:add' });
  return { webhookId, secret, url: url.href, events, brand: input.brand ?? null, agency: input.agency ?? null, allowPrivate, createdAt: at.toISOString() };
}

/** Every webhook with its delivery counts, never its secret. */
export async function listWebhooks(db: Db): Promise<WebhookInfo[]> {
  const rows = await db.read('webhooks/list', {}, { app: 'webhooks:list' });
  return rows.map((row) => ({
    webhookId: String(row.webhookId),
    url: String(row.url),
    events: (row.events as AlertKind[]) ?? [],
    brand: (row.brand as string | null) ?? null,
    agency: (row.agency as string | null) ?? null,
    allowPrivate: Boolean(row.allowPrivate),
    createdAt: String(row.createdAt),
    removedAt: (row.removedAt as string | null) ?? null,
    deliveries: { pending: Number(row.pending), delivered: Number(row.delivered), failed: Number(row.failed), cancelled: Number(row.cancelled) },
  }));
}

/** Removes a webhook (its pending deliveries are cancelled, its secret forgotten) and audits it; NOT_FOUND when there is none. */
export async function removeWebhook(db: Db, webhookId: string, clock: () => Date, actor = 'cli'): Promise<{ webhookId: string; removedAt: string; cancelled: number }> {
  if (!WEBHOOK_ID_PATTERN.test(webhookId)) throw new RingwatchError('INPUT_INVALID', `not a webhook id: ${webhookId}`);
  const at = clock();
  return db.writeTx(async (tx) => {
    const [row] = await tx.run('webhooks/remove', { webhookId, at: at.toISOString() });
    if (!row) throw new RingwatchError('NOT_FOUND', `no webhook ${webhookId}`);
    await appendAuditEvent(tx, { keyId: actor, role: 'admin', action: 'webhook.remove', target: webhookId, requestId: `cli-${randomUUID()}`, detail: { cancelled: Number(row.cancelled) } }, at);
    return { webhookId: String(row.webhookId), removedAt: String(row.removedAt), cancelled: Number(row.cancelled) };
  }, { app: 'webhooks:remove' });
}
