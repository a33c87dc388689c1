/**
 * The webhook dispatcher's settings (src/webhooks/dispatcher.ts), apart from the dispatcher so that
 * the service's configuration (src/http/config.ts) reads them without loading it.
 */

export interface WebhookDispatcherConfig {
  /** How often the outbox is looked at (a finished delivery looks again at once). */
  pollMs: number;
  /** Longest a receiver may take to send its status line. */
  timeoutMs: number;
  /** Deliveries in flight at once, across all webhooks (one per webhook). */
  concurrency: number;
  /** Wait before the first retry; each later wait doubles (src/webhooks/retrySchedule.ts). */
  retryBaseMs: number;
}

export const WEBHOOK_DISPATCHER_DEFAULTS: WebhookDispatcherConfig = { pollMs: 1_000, timeoutMs: 10_000, concurrency: 8, retryBaseMs: 5_000 };
