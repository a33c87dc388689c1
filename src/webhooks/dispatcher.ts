import { randomUUID } from 'node:crypto';
import type { Db } from '../graph/db.ts';
import type { Logger } from '../log.ts';
import { alertsByIds, alertViewerOf } from '../alerts/alertReads.ts';
import { systemResolver, type Resolver } from './addressGuard.ts';
import { claimDue, fanOut, recordAttempt, type AttemptRecord, type ClaimedDelivery } from './outbox.ts';
import { afterFailure } from './retrySchedule.ts';
import { postJson, type PostOutcome } from './send.ts';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signatureHeader } from './signature.ts';
import type { WebhookDispatcherConfig } from './dispatcherConfig.ts';

/**
 * The webhook dispatcher `serve` runs (docs/live.md, "Webhooks"): every `pollMs` it fans new
 * alerts out into the outbox (src/webhooks/outbox.ts), leases due deliveries and POSTs each,
 * signed, to its receiver, recording what came of it. Sending never blocks the API: requests are
 * asynchronous, each ends within `timeoutMs`, at most `concurrency` run at once and at most one
 * per webhook, so a receiver that hangs, answers 500 for an hour or drops the connection holds one
 * slot and its own retries, nothing else. At-least-once: a receiver may see an event twice (a
 * dispatcher killed after the receiver answered but before it recorded the answer) and dedupes on
 * the event id.
 */

/** A lease outlasts an attempt's timeout by this much: time to record the outcome. */
const LEASE_MARGIN_MS = 5_000;
/** Alerts fanned out per turn. */
const FAN_OUT_BATCH = 200;

export interface DispatcherOptions {
  db: Db;
  logger: Logger;
  clock: () => Date;
  config: WebhookDispatcherConfig;
  /** How host names are resolved (tests give their own to make DNS change). */
  resolve?: Resolver;
  rng?: () => number;
  /** Fixed for tests; a random one per process otherwise. */
  owner?: string;
  /** Hours, in ms, after the first attempt before a delivery fails for good (24 h). */
  giveUpAfterMs?: number;
}

export interface WebhookDispatcher {
  /** One turn now (fan out, claim, start sending); resolves when the turn, not its deliveries, is done. */
  tick(): Promise<void>;
  /** Resolves when every delivery in flight has been recorded. */
  idle(): Promise<void>;
  /** Stops taking work, aborts deliveries in flight (recorded as interrupted, tried again soon) and waits for them. */
  stop(): Promise<void>;
}

/** Starts the dispatcher; call `stop()` before the driver closes. */
export function startWebhookDispatcher(options: DispatcherOptions): WebhookDispatcher {
  const { db, logger, clock, config } = options;
  const owner = options.owner ?? `dispatcher-${randomUUID()}`;
  const resolve = options.resolve ?? systemResolver;
  const rng = options.rng ?? Math.random;
  const leaseMs = config.timeoutMs + LEASE_MARGIN_MS;
  const inFlight = new Map<string, { webhookId: string; abort: AbortController; done: Promise<void> }>();
  let stopped = false;
  let turn: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  // Said once when the outbox cannot be reached (Neo4j away) and once when it can again.
  let failing = false;

  const deliver = (delivery: ClaimedDelivery): void => {
    const abort = new AbortController();
    if (stopped) abort.abort(); // claimed while stopping: released at once, tried again soon
    const done = (async () => {
      let record: AttemptRecord;
      try {
        record = await attempt(delivery, abort.signal);
      } catch (error) {
        record = retryRecord(delivery, null, `could not be sent: ${(error as Error).message}`);
      }
      try {
        await recordAttempt(db, delivery, owner, clock(), record);
        const fields = { webhookId: delivery.webhookId, eventId: delivery.eventId, attempt: delivery.attempt, status: record.status, httpStatus: record.httpStatus };
        if (record.status === 'delivered') logger.info(fields, 'webhook delivered');
        else if (record.status === 'failed') logger.warn({ ...fields, error: record.error }, 'webhook delivery failed for good');
        else logger.info({ ...fields, error: record.error, nextAttemptAt: record.nextAttemptAt?.toISOString() }, 'webhook delivery not done');
      } catch (error) {
        // Its lease runs out and a later turn tries again.
        logger.warn({ webhookId: delivery.webhookId, eventId: delivery.eventId, err: (error as Error).message }, 'webhook attempt not recorded');
      } finally {
        inFlight.delete(delivery.eventId);
        schedule(0);
      }
    })();
    inFlight.set(delivery.eventId, { webhookId: delivery.webhookId, abort, done });
  };

  const attempt = async (delivery: ClaimedDelivery, signal: AbortSignal): Promise<AttemptRecord> => {
    const viewer = alertViewerOf({ brandKey: delivery.brandKey, agencyKey: delivery.agencyKey });
    // Rendered now, for the webhook's scope: exactly what its scope reads from GET /v1/alerts.
    const [alert] = await alertsByIds(db, viewer, [delivery.alertId], { kinds: null, since: null }, { app: 'webhooks:dispatch' });
    if (!alert) return { status: 'cancelled', httpStatus: null, error: "the alert is no longer in the webhook's scope", nextAttemptAt: null };
    const body = JSON.stringify({ id: delivery.eventId, type: alert.kind, createdAt: delivery.createdAt, data: alert });
    const headers = { [EVENT_ID_HEADER]: delivery.eventId, [SIGNATURE_HEADER]: signatureHeader(delivery.secret, clock(), body) };
    const outcome: PostOutcome = await postJson(delivery.url, body, headers, { timeoutMs: config.timeoutMs, allowPrivate: delivery.allowPrivate, resolve, signal });
    if (outcome.status !== null && outcome.status >= 200 && outcome.status < 300) return { status: 'delivered', httpStatus: outcome.status, error: null, nextAttemptAt: null };
    if (signal.aborted) return { status: 'pending', httpStatus: null, error: 'interrupted: the dispatcher stopped', nextAttemptAt: clock() };
    return retryRecord(delivery, outcome.status, outcome.error ?? `HTTP ${outcome.status}`);
  };

  const retryRecord = (delivery: ClaimedDelivery, httpStatus: number | null, error: string): AttemptRecord => {
    const next = afterFailure(delivery.attempt, new Date(delivery.firstAttemptAt), clock(), { baseMs: config.retryBaseMs, giveUpAfterMs: options.giveUpAfterMs, rng });
    return { status: next.status, httpStatus, error, nextAttemptAt: next.status === 'pending' ? next.nextAttemptAt : null };
  };

  const runTurn = async (): Promise<void> => {
    try {
      const routed = await fanOut(db, clock(), FAN_OUT_BATCH);
      if (routed === FAN_OUT_BATCH) again = true;
      const free = config.concurrency - inFlight.size;
      if (free > 0 && !stopped) {
        const busyWebhookIds = [...new Set([...inFlight.values()].map((d) => d.webhookId))];
        const claimed = await claimDue(db, { owner, now: clock(), leaseMs, limit: free, busyWebhookIds });
        for (const delivery of claimed) deliver(delivery);
      }
      if (failing) logger.info('webhook outbox reachable again');
      failing = false;
    } catch (error) {
      if (!failing) logger.warn({ err: (error as Error).message }, 'webhook outbox unreachable; trying again');
      failing = true;
    }
  };

  const tick = (): Promise<void> => {
    if (turn) {
      again = true;
      return turn;
    }
    turn = runTurn().finally(() => {
      turn = null;
      if (stopped) return;
      if (again) {
        again = false;
        schedule(0);
      } else schedule(config.pollMs);
    });
    return turn;
  };

  const schedule = (ms: number) => {
    if (stopped) return;
    if (turn) {
      if (ms === 0) again = true;
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(() => void tick(), ms);
  };

  schedule(0);

  const idle = async (): Promise<void> => {
    while (inFlight.size > 0 || turn) await Promise.all([turn, ...[...inFlight.values()].map((d) => d.done)]);
  };

  return {
    tick,
    idle,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      for (const d of inFlight.values()) d.abort.abort();
      await idle();
    },
  };
}
