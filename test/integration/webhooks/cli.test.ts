import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/graph/db.ts';
import { freshDb } from '../../support/db.ts';
import { ringwatch } from '../../support/cli.ts';

/** `ringwatch webhooks add|list|remove`, the real CLI against the run's Neo4j. */
describe('ringwatch webhooks', () => {
  let db: Db;
  beforeAll(async () => {
    db = await freshDb();
  });
  afterAll(async () => {
    await db.close();
  });

  const count = async (cypher: string, params: Record<string, unknown> = {}) =>
    Number((await db.driver.executeQuery(cypher, params, { database: db.database })).records[0]?.get(0));

  it('refuses loopback, private, link-local, mapped and named-loopback URLs without --allow-private, in one line, writing nothing', async () => {
    const refused: [string, RegExp][] = [
      ['http://127.0.0.1:9/hook', /127\.0\.0\.1 is a loopback address/],
      ['http://10.0.0.7/hook', /10\.0\.0\.7 is a private address/],
      ['http://169.254.169.254/latest/meta-data', /link-local/],
      ['http://[::ffff:127.0.0.1]/hook', /loopback/],
      ['http://[fd00::1]/hook', /unique-local/],
      ['http://localhost:8080/hook', /localhost resolves to .* loopback address/],
    ];
    for (const [url, why] of refused) {
      const result = await ringwatch(['webhooks', 'add', '--url', url, '--events', 'recidivism', '--json']);
      expect(result.code, url).not.toBe(0);
      expect(result.stdout, url).toBe('');
      const lines = result.stderr.trim().split('\n');
      expect(lines, url).toHaveLength(1);
      expect(lines[0], url).toMatch(/^ringwatch: refusing http:\/\//);
      expect(lines[0], url).toMatch(why);
      expect(lines[0], url).toContain('--allow-private');
    }
    expect(await count('MATCH (w:Webhook) RETURN count(w)')).toBe(0);
  });

  it('refuses what is not a webhook: another scheme, an unknown alert kind, a brand and an agency at once', async () => {
    const cases: [string[], RegExp][] = [
      [['--url', 'ftp://hooks.example.com/', '--events', 'recidivism'], /must be http:\/\/ or https:\/\//],
      [['--url', 'https://hooks.example.com/', '--events', 'recidivism,closures'], /--events must list alert kinds among recidivism, ring_growth, new_ring/],
      [['--url', 'http://127.0.0.1:9/', '--events', 'recidivism', '--brand', 'Acme', '--agency', 'NCA', '--allow-private'], /one brand or one agency, not both/],
    ];
    for (const [args, why] of cases) {
      const result = await ringwatch(['webhooks', 'add', ...args, '--json']);
      expect(result.code, args.join(' ')).not.toBe(0);
      expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(result.stderr, args.join(' ')).toMatch(why);
    }
    expect(await count('MATCH (w:Webhook) RETURN count(w)')).toBe(0);
  });

  it('adds with --allow-private, printing {webhookId, secret} once; lists without the secret; removes; audits both', async () => {
    const added = await ringwatch(['webhooks', 'add', '--url', 'http://127.0.0.1:9/hook', '--events', 'new_ring,recidivism', '--brand', 'Acme', '--allow-private', '--json']);
    expect(added.code, added.stderr).toBe(0);
    const { webhookId, secret, ...rest } = JSON.parse(added.stdout) as { webhookId: string; secret: string };
    expect(rest).toEqual({});
    expect(webhookId).toMatch(/^WH-[A-Z2-7]{10}$/);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);

    const listed = await ringwatch(['webhooks', 'list', '--json']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).not.toContain(secret);
    expect(JSON.parse(listed.stdout)).toEqual([
      {
        webhookId,
        url: 'http://127.0.0.1:9/hook',
        events: ['recidivism', 'new_ring'],
        brand: 'Acme',
        agency: null,
        allowPrivate: true,
        createdAt: expect.any(String),
        removedAt: null,
        deliveries: { pending: 0, delivered: 0, failed: 0, cancelled: 0 },
      },
    ]);
    const text = await ringwatch(['webhooks', 'list']);
    expect(text.stdout).toContain(webhookId);
    expect(text.stdout).toContain('brand=Acme');
    expect(text.stdout + text.stderr).not.toContain(secret);

    const removed = await ringwatch(['webhooks', 'remove', webhookId]);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stderr).toContain(`removed ${webhookId}`);
    expect((JSON.parse((await ringwatch(['webhooks', 'list', '--json'])).stdout) as { removedAt: string | null }[])[0]?.removedAt).toEqual(expect.any(String));
    expect(await count('MATCH (w:Webhook {webhookId: $id}) WHERE w.secret IS NULL RETURN count(w)', { id: webhookId })).toBe(1);

    const { records } = await db.driver.executeQuery('MATCH (e:AuditEvent) WHERE e.target = $id RETURN e.action AS action, e.detail AS detail ORDER BY e.seq', { id: webhookId }, { database: db.database });
    expect(records.map((r) => r.get('action'))).toEqual(['webhook.create', 'webhook.remove']);
    expect(JSON.parse(records[0]?.get('detail') as string)).toEqual({ allowPrivate: true, events: ['recidivism', 'new_ring'], scope: 'brand' });

    const again = await ringwatch(['webhooks', 'remove', 'WH-AAAAAAAAAA']);
    expect(again.code).not.toBe(0);
    expect(again.stderr.trim()).toBe('ringwatch: no webhook WH-AAAAAAAAAA');
  });
});
