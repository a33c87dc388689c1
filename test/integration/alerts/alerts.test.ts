import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewAlert } from '../../../src/alerts/alertStore.ts';
import { isRingwatchError } from '../../../src/errors.ts';
import { maskKey } from '../../../src/dossier/dossier.ts';
import { call, problemOf } from '../http/harness.ts';
import { startAlertWorld, type AlertWorld } from './world.ts';

interface Item {
  alertId: string;
  kind: string;
  ringId: string;
  sellerIds: string[];
  createdAt: string;
  evidence: { kind: string; key: string; sellerIds: string[] }[];
  ring: { riskScore: number; flagged: boolean; status: string; size: number | null };
}
type Page = { items: Item[]; nextCursor: string | null };

describe('alerts: stored by writeAlerts, read by GET /v1/alerts', () => {
  let w: AlertWorld;
  let tokens: Record<'gucci' | 'acme' | 'nca' | 'fbi' | 'screening' | 'admin', string>;
  /** Oldest first, as raised. */
  const raised: NewAlert[] = [];
  const at = (minute: number) => new Date(Date.UTC(2025, 5, 1, 8, minute)).toISOString();

  beforeAll(async () => {
    w = await startAlertWorld();
    tokens = {
      gucci: await w.h.key('brand', { brand: 'GUCCI ' }),
      acme: await w.h.key('brand', { brand: 'Acme' }),
      nca: await w.h.key('agency', { agency: 'nca' }),
      fbi: await w.h.key('agency', { agency: 'FBI' }),
      screening: await w.h.key('screening'),
      admin: await w.h.key('admin'),
    };
    const phoneG = await w.keyOf('G1', 'SENDS_FROM_PHONE');
    // Ring G (Gucci): a new ring, then a store joining it, then a recidivist; ring A (Acme,
    // referred to NCA): the same three kinds; two of ring A's share one instant (ties by id).
    raised.push(
      await w.alert('new_ring', 'G1', at(0)),
      await w.alert('new_ring', 'A1', at(1)),
      await w.alert('ring_growth', 'G2', at(2), [{ kind: 'phone', key: phoneG, sellerIds: ['G1', 'G2', 'G3'] }]),
      await w.alert('ring_growth', 'A2', at(3)),
      await w.alert('recidivism', 'A3', at(3)),
      await w.alert('recidivism', 'G3', at(4)),
    );
    for (const alert of raised.slice(0, 3)) await w.raise([alert]);
    await w.raise(raised.slice(3));
  }, 240_000);
  afterAll(async () => {
    await w.h.close();
  });

  const get = async (query: string, token = w.analyst): Promise<Page> => {
    const response = await call(w.h.app, 'GET', `/v1/alerts${query}`, { token });
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()) as Page;
  };
  /** Newest first, ties by alert id descending. */
  const newestFirst = (alerts: NewAlert[]) => [...alerts].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.alertId.localeCompare(a.alertId)).map((a) => a.alertId);
  const onRing = (sellerId: string) => raised.filter((a) => a.ringId === w.ringOf(sellerId));

  it('detection found the two counterfeit rings flagged (the alerts hang on real rings)', () => {
    const g = w.detection.rings.find((r) => r.ringId === w.ringOf('G1'));
    const a = w.detection.rings.find((r) => r.ringId === w.ringOf('A1'));
    expect(g?.sellerIds).toEqual(['G1', 'G2', 'G3']);
    expect(a?.sellerIds).toEqual(['A1', 'A2', 'A3', 'A4']);
    expect(g?.score.flagged && a?.score.flagged).toBe(true);
  });

  it('detection raised its own alerts through writeAlerts: a new_ring for each new flagged ring, awaiting fan-out', () => {
    const byRing = (sellerId: string) => w.detectedAlerts.filter((a) => a.ringId === w.ringOf(sellerId));
    expect(byRing('G1').map((a) => [a.kind, [...a.sellerIds].sort(), a.unrouted])).toEqual([['new_ring', ['G1', 'G2', 'G3'], true]]);
    expect(byRing('A1').map((a) => [a.kind, [...a.sellerIds].sort(), a.unrouted])).toEqual([['new_ring', ['A1', 'A2', 'A3', 'A4'], true]]);
    expect(byRing('O1')).toEqual([]);
  });

  it('stores one (:Alert)-[:ALERT_ON]->(:Ring) per alert, evidence as JSON, each once however often it is written', async () => {
    await w.raise([raised[0]!, raised[1]!]);
    await w.raise([raised[0]!]);
    const { records } = await w.h.db.driver.executeQuery(
      'MATCH (a:Alert)-[:ALERT_ON]->(r:Ring) RETURN a.alertId AS alertId, r.ringId AS ringId, a.evidence AS evidence, a:Unrouted AS unrouted, count(*) AS links',
      {},
      { database: w.h.db.database },
    );
    expect(records).toHaveLength(raised.length);
    for (const record of records) {
      const alert = raised.find((a) => a.alertId === record.get('alertId'));
      expect(record.get('ringId')).toBe(alert?.ringId);
      expect(JSON.parse(record.get('evidence') as string)).toEqual(alert?.evidence);
      expect(Number(record.get('links'))).toBe(1);
      expect(record.get('unrouted')).toBe(true);
    }
  });

  it('refuses an alert on a ring that is not there, and the whole write with it', async () => {
    const good = await w.alert('new_ring', 'G1', at(30));
    const bad = { ...(await w.alert('new_ring', 'G1', at(31))), ringId: 'R-ZZZZZZZZ' };
    const error = await w.raise([good, bad]).catch((e: unknown) => e);
    expect(isRingwatchError(error, 'RING_NOT_FOUND')).toBe(true);
    expect((error as Error).message).toContain('R-ZZZZZZZZ');
    expect((await get('?limit=200')).items.map((i) => i.alertId)).not.toContain(good.alertId);
    await expect(w.raise([{ ...good, alertId: 'AL-short' }])).rejects.toThrow(/not an alert id/);
    await expect(w.raise([{ ...good, kind: 'closure' as never }])).rejects.toThrow(/kind must be one of/);
  });

  it('gives analysts every alert, newest first (ties by id), each with its ring as it is now', async () => {
    const page = await get('');
    expect(page.items.map((i) => i.alertId)).toEqual(newestFirst(raised));
    expect(page.nextCursor).toBeNull();
    const first = raised[2]!;
    const item = page.items.find((i) => i.alertId === first.alertId)!;
    expect(item).toEqual({ alertId: first.alertId, kind: 'ring_growth', ringId: first.ringId, sellerIds: ['G2'], createdAt: first.createdAt, evidence: first.evidence, ring: expect.any(Object) });
    const ring = (await (await call(w.h.app, 'GET', `/v1/rings/${first.ringId}`, { token: w.analyst })).json()) as { riskScore: number; flagged: boolean; status: string; size: number };
    expect(item.ring).toEqual({ riskScore: ring.riskScore, flagged: ring.flagged, status: ring.status, size: ring.size });
    expect(item.ring).toMatchObject({ flagged: true, status: 'open', size: 3 });
  });

  it('gives a brand the alerts on rings of its brand only, keys masked as in its dossier', async () => {
    const gucci = await get('', tokens.gucci);
    expect(gucci.items.map((i) => i.alertId)).toEqual(newestFirst(onRing('G1')));
    const growth = gucci.items.find((i) => i.kind === 'ring_growth')!;
    const phone = await w.keyOf('G1', 'SENDS_FROM_PHONE');
    expect(growth.evidence).toEqual([{ kind: 'phone', key: maskKey(phone), sellerIds: ['G1', 'G2', 'G3'] }]);
    expect(growth.evidence[0]?.key).toMatch(/^\*\*\*\*\d{4}$/);
    const dossier = (await (await call(w.h.app, 'GET', `/v1/rings/${w.ringOf('G1')}`, { token: tokens.gucci })).json()) as { sharedIdentifiers: { kind: string; key: string }[] };
    expect(dossier.sharedIdentifiers.map((s) => s.key)).toContain(growth.evidence[0]?.key);
    const body = JSON.stringify(gucci);
    for (const alert of raised) for (const e of alert.evidence) expect(body).not.toContain(e.key);
    expect((await get('', tokens.acme)).items.map((i) => i.alertId)).toEqual(newestFirst(onRing('A1')));
  });

  it('gives an agency the alerts on rings referred to it, keys whole; another agency none', async () => {
    const nca = await get('', tokens.nca);
    expect(nca.items.map((i) => i.alertId)).toEqual(newestFirst(onRing('A1')));
    expect(nca.items[0]?.evidence[0]?.key).toBe(await w.keyOf('A1', 'PAYS_INTO'));
    expect(nca.items[0]?.ring.status).toBe('referred');
    expect((await get('', tokens.fbi)).items).toEqual([]);
  });

  it('refuses every other caller: no key 401, screening and admin keys 403', async () => {
    const none = await call(w.h.app, 'GET', '/v1/alerts');
    expect(none.status).toBe(401);
    expect((await problemOf(none)).type).toBe('urn:ringwatch:problem:unauthorized');
    for (const token of [tokens.screening, tokens.admin]) {
      const response = await call(w.h.app, 'GET', '/v1/alerts', { token });
      expect(response.status).toBe(403);
      expect((await problemOf(response)).type).toBe('urn:ringwatch:problem:forbidden-role');
    }
  });

  it('pages with an opaque cursor: every alert once, in order, however small the pages', async () => {
    for (const limit of [1, 2, 4]) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: Page = await get(`?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.items.length).toBeLessThanOrEqual(limit);
        seen.push(...page.items.map((i) => i.alertId));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor !== null && pages < 20);
      expect(seen).toEqual(newestFirst(raised));
    }
    const brandPage = await get('?limit=1', tokens.gucci);
    const next = await get(`?limit=5&cursor=${brandPage.nextCursor}`, tokens.gucci);
    expect([...brandPage.items, ...next.items].map((i) => i.alertId)).toEqual(newestFirst(onRing('G1')));
  });

  it('filters by kind and by since (inclusive), alone and together', async () => {
    expect((await get('?kind=recidivism')).items.map((i) => i.alertId)).toEqual(newestFirst(raised.filter((a) => a.kind === 'recidivism')));
    expect((await get(`?since=${at(3)}`)).items.map((i) => i.alertId)).toEqual(newestFirst(raised.filter((a) => a.createdAt >= at(3))));
    // An offset is read as the instant it names.
    expect((await get(`?since=${encodeURIComponent('2025-06-01T10:03:00+02:00')}`)).items).toHaveLength(3);
    expect((await get(`?kind=ring_growth&since=${at(3)}`, tokens.nca)).items.map((i) => i.sellerIds)).toEqual([['A2']]);
    expect((await get('?since=2030-01-01T00:00:00Z')).items).toEqual([]);
  });

  it('ranks by the ring\'s risk with sort=risk (then newest), and pages that order too', async () => {
    const riskOf = (a: NewAlert) => w.detection.rings.find((r) => r.ringId === a.ringId)!.score.riskScore;
    const expected = [...raised].sort((a, b) => riskOf(b) - riskOf(a) || b.createdAt.localeCompare(a.createdAt) || b.alertId.localeCompare(a.alertId)).map((a) => a.alertId);
    expect(riskOf(raised[0]!)).not.toBe(riskOf(raised[1]!));
    expect((await get('?sort=risk')).items.map((i) => i.alertId)).toEqual(expected);
    const first = await get('?sort=risk&limit=4');
    const rest = await get(`?sort=risk&limit=4&cursor=${first.nextCursor}`);
    expect([...first.items, ...rest.items].map((i) => i.alertId)).toEqual(expected);
    expect(rest.nextCursor).toBeNull();
    const wrongOrder = await call(w.h.app, 'GET', `/v1/alerts?cursor=${first.nextCursor}`, { token: w.analyst });
    expect(wrongOrder.status).toBe(400);
    expect((await problemOf(wrongOrder)).type).toBe('urn:ringwatch:problem:invalid-cursor');
  });

  it('answers bad parameters with 400 problem+json naming the field, never echoing it', async () => {
    const cases: [string, string, string][] = [
      ['?kind=closure', 'invalid-request', 'query.kind'],
      ['?since=yesterday', 'invalid-request', 'query.since'],
      ['?since=2025-06-01', 'invalid-request', 'query.since'],
      ['?limit=0', 'invalid-request', 'query.limit'],
      ['?limit=201', 'invalid-request', 'query.limit'],
      ['?limit=ten', 'invalid-request', 'query.limit'],
      ['?sort=oldest', 'invalid-request', 'query.sort'],
      ['?cursor=not-a-cursor', 'invalid-cursor', 'query.cursor'],
    ];
    for (const [query, type, field] of cases) {
      const response = await call(w.h.app, 'GET', `/v1/alerts${query}`, { token: w.analyst });
      expect(response.status, query).toBe(400);
      const problem = await problemOf(response);
      expect(problem.type, query).toBe(`urn:ringwatch:problem:${type}`);
      expect((problem.errors as { field: string }[]).map((e) => e.field), query).toContain(field);
      const value = query.split('=')[1] as string;
      if (value.length > 3) expect(JSON.stringify(problem), query).not.toContain(value);
    }
  });

  it('audits every read: who read which alerts', async () => {
    const page = await get('?kind=new_ring', tokens.gucci);
    const { records } = await w.h.db.driver.executeQuery(
      "MATCH (e:AuditEvent {action: 'alerts.read'}) RETURN e.role AS role, e.target AS target, e.detail AS detail ORDER BY e.seq DESC LIMIT 1",
      {},
      { database: w.h.db.database },
    );
    expect(records[0]?.get('role')).toBe('brand');
    expect(records[0]?.get('target')).toBe('alerts');
    expect(JSON.parse(records[0]?.get('detail') as string)).toEqual({ alertIds: page.items.map((i) => i.alertId), sort: 'newest' });
  });

  it("shows the ring's alerts in its dossier history, oldest first, masked for brands", async () => {
    type History = { type: string; runId: string | null; at: string | null; detail: unknown }[];
    const ringId = w.ringOf('G1');
    const analyst = (await (await call(w.h.app, 'GET', `/v1/rings/${ringId}`, { token: w.analyst })).json()) as { history: History };
    const alerts = analyst.history.filter((h) => typeof h.detail === 'object' && h.detail !== null && 'alertId' in h.detail);
    expect(alerts.map((h) => h.type)).toEqual(['new_ring', 'ring_growth', 'recidivism']);
    expect(alerts[1]).toEqual({ type: 'ring_growth', runId: w.detection.run.runId, at: raised[2]!.createdAt, detail: { alertId: raised[2]!.alertId, sellerIds: ['G2'], evidence: raised[2]!.evidence } });
    expect(analyst.history.some((h) => h.type === 'new' && !(typeof h.detail === 'object' && h.detail !== null && 'alertId' in h.detail))).toBe(true);
    const brand = (await (await call(w.h.app, 'GET', `/v1/rings/${ringId}`, { token: tokens.gucci })).json()) as { history: History };
    const growth = brand.history.find((h) => h.type === 'ring_growth')!.detail as { evidence: { key: string }[] };
    expect(growth.evidence[0]?.key).toBe(maskKey(raised[2]!.evidence[0]!.key));
  });
});
