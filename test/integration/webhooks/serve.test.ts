import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addWebhook } from '../../../src/webhooks/webhooks.ts';
import { startServe, type ServeProcess } from '../../support/serveProcess.ts';
import { startAlertWorld, type AlertWorld } from '../alerts/world.ts';
import { startReceiver, verifySignature, type Receiver } from './receiver.ts';

/** Webhooks delivered by a real `ringwatch serve`: beside the API, and across a SIGKILL. */
describe('webhooks under ringwatch serve', () => {
  let w: AlertWorld;
  let receiver: Receiver;
  let dataDir: string;
  const running: ServeProcess[] = [];
  const clock = () => new Date();

  beforeAll(async () => {
    w = await startAlertWorld();
    receiver = await startReceiver();
    dataDir = mkdtempSync(join(tmpdir(), 'ringwatch-webhooks-serve-'));
  }, 240_000);
  afterAll(async () => {
    for (const serve of running) serve.child.kill('SIGKILL');
    await receiver?.close();
    await w?.h.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const serve = async () => {
    const { uri, user, password } = inject('neo4j');
    const process_ = await startServe({
      ...process.env,
      NEO4J_URI: uri,
      NEO4J_USER: user,
      NEO4J_PASSWORD: password,
      RINGWATCH_DATA_DIR: dataDir,
      RINGWATCH_WEBHOOK_POLL_MS: '100',
      RINGWATCH_WEBHOOK_TIMEOUT_MS: '3000',
      RINGWATCH_WEBHOOK_RETRY_BASE_MS: '200',
    });
    running.push(process_);
    return process_;
  };
  const at = (path: string) => receiver.received.filter((r) => r.path === path);
  const idOf = (r: { headers: Record<string, unknown> }) => String(r.headers['ringwatch-event-id']);
  const timed = async (url: string, token?: string) => {
    const started = performance.now();
    const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    await response.arrayBuffer();
    return { status: response.status, ms: performance.now() - started };
  };

  it('answers /healthz and a dossier at once while a receiver hangs', async () => {
    const { base, child, exited } = await serve();
    await addWebhook(w.h.db, { url: `${receiver.base}/hang`, events: ['recidivism'], allowPrivate: true }, clock);
    receiver.behave((request) => (request.path === '/hang' ? 'hang' : { status: 200 }));
    await w.raise([await w.alert('recidivism', 'G1', new Date().toISOString())]);
    await receiver.until(() => at('/hang').length === 1);
    const hungAt = Date.now();
    const answers = await Promise.all([
      timed(`${base}/healthz`),
      timed(`${base}/healthz`),
      timed(`${base}/v1/rings/${w.ringOf('G1')}`, w.analyst),
      timed(`${base}/v1/alerts`, w.analyst),
      timed(`${base}/healthz`),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    for (const answer of answers) expect(answer.ms).toBeLessThan(1_500);
    // All answered while the delivery still hung (its 3 s timeout had not come).
    expect(Date.now() - hungAt).toBeLessThan(3_000);
    expect(at('/hang')).toHaveLength(1);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 120_000);

  it('resumes after a SIGKILL mid-delivery: every event arrives, at least once, with its own id', async () => {
    const hook = await addWebhook(w.h.db, { url: `${receiver.base}/resume`, events: ['ring_growth'], allowPrivate: true }, clock);
    let killed = false;
    receiver.behave((request) => (request.path === '/resume' && !killed ? 'hang' : { status: 200 }));
    const alerts = [];
    for (const sellerId of ['A2', 'A3', 'A4', 'G2', 'G3']) alerts.push(await w.alert('ring_growth', sellerId, new Date().toISOString()));
    await w.raise(alerts);
    const first = await serve();
    await receiver.until(() => at('/resume').length === 1);
    const hungId = idOf(at('/resume')[0]!);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    killed = true;

    const second = await serve();
    // The attempt cut short by the kill is sent again under the same id once its lease has run out.
    await receiver.until(() => new Set(at('/resume').map(idOf)).size === alerts.length && at('/resume').filter((r) => idOf(r) === hungId).length >= 2, 60_000);
    const { records } = await w.h.db.driver.executeQuery(
      'MATCH (d:WebhookDelivery {webhookId: $webhookId}) RETURN d.eventId AS eventId, d.status AS status',
      { webhookId: hook.webhookId },
      { database: w.h.db.database },
    );
    const stored = records.map((r) => String(r.get('eventId')));
    expect(stored).toHaveLength(alerts.length);
    expect(new Set(at('/resume').map(idOf))).toEqual(new Set(stored));
    for (const request of at('/resume')) {
      expect(verifySignature(request.headers['ringwatch-signature'] as string, request.body, hook.secret)).toBe(true);
      expect((JSON.parse(request.body) as { id: string }).id).toBe(idOf(request));
    }
    const deadline = Date.now() + 10_000;
    let statuses: string[] = [];
    do {
      const result = await w.h.db.driver.executeQuery('MATCH (d:WebhookDelivery {webhookId: $webhookId}) RETURN d.status AS status', { webhookId: hook.webhookId }, { database: w.h.db.database });
      statuses = result.records.map((r) => String(r.get('status')));
      if (statuses.every((s) => s === 'delivered')) break;
      await new Promise((r) => setTimeout(r, 100));
    } while (Date.now() < deadline);
    expect(statuses).toEqual(alerts.map(() => 'delivered'));
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 180_000);
});
