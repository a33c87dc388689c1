import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewAlert } from '../../../src/alerts/alertStore.ts';
import { toPlain } from '../../../src/graph/db.ts';
import type { Resolver } from '../../../src/webhooks/addressGuard.ts';
import { systemResolver } from '../../../src/webhooks/addressGuard.ts';
import { startWebhookDispatcher, type WebhookDispatcher } from '../../../src/webhooks/dispatcher.ts';
import { addWebhook, removeWebhook, type CreatedWebhook, type NewWebhook } from '../../../src/webhooks/webhooks.ts';
import { call } from '../http/harness.ts';
import { startAlertWorld, type AlertWorld } from '../alerts/world.ts';
import { startReceiver, verifySignature, type Receiver, type Received } from './receiver.ts';

interface Delivered {
  id: string;
  type: string;
  createdAt: string;
  data: { alertId: string; kind: string; ringId: string; evidence: { key: string }[] };
}

const parse = (r: Received) => JSON.parse(r.body) as Delivered;
const CONFIG = { pollMs: 100, timeoutMs: 2_000, concurrency: 8, retryBaseMs: 100 };
/** Test host names resolve here, and only here: a public address when the webhook is added, loopback when it is sent. */
const ADD_TIME: Resolver = async (host) => (host === 'hooks.example.test' ? [{ address: '93.184.216.34', family: 4 }] : systemResolver(host));
const SEND_TIME: Resolver = async (host) => (host === 'hooks.example.test' ? [{ address: '127.0.0.1', family: 4 }] : systemResolver(host));

describe('webhook deliveries (the dispatcher against a real Neo4j and real receivers)', () => {
  let w: AlertWorld;
  let receiver: Receiver;
  let dispatcher: WebhookDispatcher;
  const hooks = new Map<string, CreatedWebhook>();
  const logger = pino({ level: 'silent' });
  const clock = () => new Date();

  const hook = async (path: string, input: Omit<NewWebhook, 'url'> & { url?: string }) => {
    const created = await addWebhook(w.h.db, { allowPrivate: true, ...input, url: input.url ?? `${receiver.base}${path}` }, clock, { resolve: ADD_TIME });
    hooks.set(path, created);
    return created;
  };
  const at = (path: string) => receiver.received.filter((r) => r.path === path);
  const raiseNow = async (kind: NewAlert['kind'], sellerId: string) => {
    const alert = await w.alert(kind, sellerId, new Date().toISOString());
    await w.raise([alert]);
    return alert;
  };
  const delivery = async (webhookId: string, alertId: string) => {
    const { records } = await w.h.db.driver.executeQuery(
      'MATCH (d:WebhookDelivery {webhookId: $webhookId, alertId: $alertId}) RETURN d {.*} AS d',
      { webhookId, alertId },
      { database: w.h.db.database },
    );
    return records.map((r) => toPlain(r.get('d')) as Record<string, unknown>);
  };
  const untilDelivery = async (webhookId: string, alertId: string, predicate: (d: Record<string, unknown>) => boolean, ms = 20_000) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const [d] = await delivery(webhookId, alertId);
      if (d && predicate(d)) return d;
      if (Date.now() > deadline) throw new Error(`delivery ${webhookId}/${alertId} not as expected: ${JSON.stringify(d)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const itemFor = async (token: string, alertId: string) => {
    const page = (await (await call(w.h.app, 'GET', '/v1/alerts?limit=200', { token })).json()) as { items: { alertId: string }[] };
    return page.items.find((i) => i.alertId === alertId);
  };

  beforeAll(async () => {
    w = await startAlertWorld();
    receiver = await startReceiver();
    // Raised before any webhook exists: no webhook gets it.
    await w.raise([await w.alert('new_ring', 'G1', '2025-06-01T08:00:00.000Z')]);
    await hook('/all', { events: ['recidivism', 'ring_growth', 'new_ring'] });
    await hook('/gucci', { events: ['recidivism', 'ring_growth', 'new_ring'], brand: 'Gucci' });
    await hook('/nca', { events: ['recidivism', 'ring_growth', 'new_ring'], agency: 'NCA' });
    await hook('/recidivism', { events: ['recidivism'] });
    dispatcher = startWebhookDispatcher({ db: w.h.db, logger, clock, config: CONFIG, resolve: SEND_TIME });
  }, 240_000);
  afterAll(async () => {
    await dispatcher?.stop();
    await receiver?.close();
    await w?.h.close();
  });

  it('posts {id, type, createdAt, data} signed as documented, data as GET /v1/alerts renders it for the scope', async () => {
    const alerts = [await raiseNow('new_ring', 'A1'), await raiseNow('ring_growth', 'G2'), await raiseNow('recidivism', 'A3'), await raiseNow('recidivism', 'G3')];
    await receiver.until(() => at('/all').length >= 4 && at('/gucci').length >= 2 && at('/nca').length >= 2 && at('/recidivism').length >= 2);
    await new Promise((r) => setTimeout(r, 500)); // nothing more is coming
    expect(at('/all').map((r) => parse(r).data.alertId).sort()).toEqual(alerts.map((a) => a.alertId).sort());
    const secretOf = (path: string) => hooks.get(path)!.secret;
    const gucci = await w.h.key('brand', { brand: 'Gucci' });
    const nca = await w.h.key('agency', { agency: 'NCA' });
    for (const [path, token] of [['/all', w.analyst], ['/gucci', gucci], ['/nca', nca], ['/recidivism', w.analyst]] as const) {
      for (const request of at(path)) {
        const event = parse(request);
        expect(verifySignature(request.headers['ringwatch-signature'] as string, request.body, secretOf(path)), path).toBe(true);
        expect(verifySignature(request.headers['ringwatch-signature'] as string, request.body, secretOf(path === '/all' ? '/gucci' : '/all'))).toBe(false);
        expect(verifySignature(request.headers['ringwatch-signature'] as string, `${request.body} `, secretOf(path))).toBe(false);
        expect(request.headers['ringwatch-event-id']).toBe(event.id);
        expect(request.headers['content-type']).toBe('application/json');
        expect(Object.keys(event).sort()).toEqual(['createdAt', 'data', 'id', 'type']);
        expect(event.type).toBe(event.data.kind);
        expect(event.data).toEqual(await itemFor(token, event.data.alertId));
      }
    }
    // Scopes and kinds.
    expect(at('/gucci').map((r) => parse(r).data.ringId)).toEqual([w.ringOf('G1'), w.ringOf('G1')]);
    expect(at('/gucci').flatMap((r) => parse(r).data.evidence.map((e) => e.key)).every((key) => /^\*\*\*\*.{4}$/.test(key))).toBe(true);
    expect(at('/gucci').map((r) => r.body).join('')).not.toContain(await w.keyOf('G1', 'PAYS_INTO'));
    expect(at('/nca').map((r) => parse(r).data.ringId)).toEqual([w.ringOf('A1'), w.ringOf('A1')]);
    expect(at('/nca').map((r) => r.body).join('')).toContain(await w.keyOf('A1', 'PAYS_INTO'));
    expect(at('/recidivism').map((r) => parse(r).type)).toEqual(['recidivism', 'recidivism']);
    // One event per (webhook, alert), each delivered at the first attempt; the fan-out is done.
    const ids = receiver.received.map((r) => parse(r).id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const alert of alerts) {
      const [d] = await delivery(hooks.get('/all')!.webhookId, alert.alertId);
      expect(d).toMatchObject({ status: 'delivered', attempts: 1, lastHttpStatus: 200 });
    }
    const { records } = await w.h.db.driver.executeQuery('MATCH (a:Unrouted) RETURN count(a) AS n', {}, { database: w.h.db.database });
    expect(Number(records[0]?.get('n'))).toBe(0);
  });

  it('retries a receiver that answered 500 with the same event id, then records the delivery', async () => {
    const flaky = await hook('/flaky', { events: ['ring_growth'] });
    receiver.behave((request, n) => (request.path === '/flaky' && n === 1 ? { status: 500 } : { status: 200 }));
    const alert = await raiseNow('ring_growth', 'A2');
    await receiver.until(() => at('/flaky').length >= 2);
    const [first, second] = at('/flaky').map(parse);
    expect(second?.id).toBe(first?.id);
    expect(at('/flaky').map((r) => r.headers['ringwatch-event-id'])).toEqual([first?.id, first?.id]);
    expect(second).toEqual(first);
    for (const request of at('/flaky')) expect(verifySignature(request.headers['ringwatch-signature'] as string, request.body, flaky.secret)).toBe(true);
    const d = await untilDelivery(flaky.webhookId, alert.alertId, (x) => x.status === 'delivered');
    expect(d).toMatchObject({ attempts: 2, lastHttpStatus: 200 });
  });

  it('keeps other webhooks flowing while one receiver hangs, times it out and retries it', async () => {
    const hang = await hook('/hang', { events: ['recidivism'] });
    const fast = await hook('/fast', { events: ['recidivism'] });
    let hanging = true;
    receiver.behave((request) => (request.path === '/hang' && hanging ? 'hang' : { status: 200 }));
    const started = Date.now();
    const alert = await raiseNow('recidivism', 'G1');
    await receiver.until(() => at('/fast').length === 1 && at('/hang').length === 1);
    expect(Date.now() - started).toBeLessThan(1_900);
    await untilDelivery(fast.webhookId, alert.alertId, (d) => d.status === 'delivered');
    const timedOut = await untilDelivery(hang.webhookId, alert.alertId, (d) => typeof d.lastError === 'string');
    expect(timedOut).toMatchObject({ status: 'pending', lastError: 'no answer within 2000 ms' });
    hanging = false;
    await untilDelivery(hang.webhookId, alert.alertId, (d) => d.status === 'delivered');
    expect(new Set(at('/hang').map((r) => r.headers['ringwatch-event-id'])).size).toBe(1);
  });

  it('retries a receiver that closes the connection', async () => {
    const drop = await hook('/drop', { events: ['new_ring'] });
    receiver.behave((request, n) => (request.path === '/drop' && n === 1 ? 'drop' : { status: 204 }));
    const alert = await raiseNow('new_ring', 'G2');
    const d = await untilDelivery(drop.webhookId, alert.alertId, (x) => x.status === 'delivered');
    expect(d).toMatchObject({ attempts: 2, lastHttpStatus: 204 });
    expect(at('/drop')).toHaveLength(2);
  });

  it('checks the address again at every delivery: a name that now resolves to loopback gets nothing', async () => {
    const { port } = new URL(receiver.base);
    const renamed = await addWebhook(w.h.db, { url: `http://hooks.example.test:${port}/renamed`, events: ['recidivism'] }, clock, { resolve: ADD_TIME });
    expect(renamed.allowPrivate).toBe(false);
    const alert = await raiseNow('recidivism', 'A1');
    const d = await untilDelivery(renamed.webhookId, alert.alertId, (x) => typeof x.lastError === 'string');
    expect(d.status).toBe('pending');
    expect(d.lastHttpStatus ?? null).toBeNull();
    expect(d.lastError).toBe('refused: hooks.example.test resolves to 127.0.0.1 is a loopback address, not a public one');
    expect(at('/renamed')).toEqual([]);
    const removed = await removeWebhook(w.h.db, renamed.webhookId, clock);
    expect(removed.cancelled).toBe(1);
    await untilDelivery(renamed.webhookId, alert.alertId, (x) => x.status === 'cancelled');
    const { records } = await w.h.db.driver.executeQuery('MATCH (w:Webhook {webhookId: $id}) RETURN w.secret AS secret', { id: renamed.webhookId }, { database: w.h.db.database });
    expect(records[0]?.get('secret')).toBeNull();
  });

  it('sends each attempt once when two dispatchers share the outbox', async () => {
    const pair = await hook('/pair', { events: ['ring_growth'] });
    receiver.behave(() => ({ status: 200 }));
    const second = startWebhookDispatcher({ db: w.h.db, logger, clock, config: CONFIG, resolve: SEND_TIME, owner: 'second' });
    try {
      const alerts: NewAlert[] = [];
      for (let i = 0; i < 12; i++) alerts.push(await w.alert('ring_growth', i % 2 ? 'G3' : 'A4', new Date().toISOString()));
      await w.raise(alerts);
      await receiver.until(() => at('/pair').length >= alerts.length);
      await new Promise((r) => setTimeout(r, 500));
      const ids = at('/pair').map((r) => parse(r).id);
      expect(ids).toHaveLength(alerts.length);
      expect(new Set(ids).size).toBe(alerts.length);
      expect(new Set(at('/pair').map((r) => parse(r).data.alertId))).toEqual(new Set(alerts.map((a) => a.alertId)));
      for (const alert of alerts) expect(await delivery(pair.webhookId, alert.alertId)).toHaveLength(1);
    } finally {
      await second.stop();
    }
  });

  it('stops at once though a receiver hangs, leaving the delivery to be sent again', async () => {
    const stuck = await hook('/stuck', { events: ['new_ring'] });
    receiver.behave((request) => (request.path === '/stuck' ? 'hang' : { status: 200 }));
    const alert = await raiseNow('new_ring', 'A2');
    await receiver.until(() => at('/stuck').length === 1);
    const started = Date.now();
    await dispatcher.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
    const [d] = await delivery(stuck.webhookId, alert.alertId);
    expect(d).toMatchObject({ status: 'pending', attempts: 1, lastError: 'interrupted: the dispatcher stopped' });
    expect(d?.leaseOwner ?? null).toBeNull();
    expect(Date.parse(String(d?.nextAttemptAt))).toBeLessThanOrEqual(Date.now());
    await removeWebhook(w.h.db, stuck.webhookId, clock);
  });

  it('gives up after its retry window and records the delivery as failed', async () => {
    const dead = await hook('/dead', { events: ['recidivism'] });
    receiver.behave((request) => (request.path === '/dead' ? { status: 503 } : { status: 200 }));
    // The 24-hour window, shortened: the same rule on a 1.5 s clock.
    const short = startWebhookDispatcher({ db: w.h.db, logger, clock, config: CONFIG, resolve: SEND_TIME, giveUpAfterMs: 1_500 });
    try {
      const alert = await raiseNow('recidivism', 'G2');
      const d = await untilDelivery(dead.webhookId, alert.alertId, (x) => x.status === 'failed');
      expect(d).toMatchObject({ lastHttpStatus: 503, lastError: 'HTTP 503' });
      expect(Number(d.attempts)).toBeGreaterThan(2);
      expect(at('/dead')).toHaveLength(Number(d.attempts));
      expect(Date.parse(String(d.failedAt)) - Date.parse(String(d.firstAttemptAt)), JSON.stringify(d)).toBeGreaterThanOrEqual(1_500);
      const sent = at('/dead').length;
      await new Promise((r) => setTimeout(r, 600));
      expect(at('/dead')).toHaveLength(sent);
    } finally {
      await short.stop();
    }
  });
});
