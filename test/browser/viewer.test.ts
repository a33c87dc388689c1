/// <reference lib="dom" />
// Page functions (page.evaluate, $eval) run in the browser: they are typed with the DOM.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Db } from '../../src/graph/db.ts';
import { claimedKeyId, createApiKey, revokeApiKey } from '../../src/keys/apiKeys.ts';
import { drawnPixels, launchChromium, openWatchedPage, type WatchedPage } from '../support/browser.ts';
import { freshDb } from '../support/db.ts';
import { startServe, type ServeProcess } from '../support/serveProcess.ts';
import { loadMarket, type LoadedMarket } from '../integration/http/loadMarket.ts';

/**
 * The ring viewer (/viewer/) in a real Chromium against the real `ringwatch serve` on the HTTP
 * suites' market (test/integration/http/market.ts: ring A the riskiest, B and D next, C honest).
 * Every page's requests are watched: none may leave 127.0.0.1 or carry the key in its URL.
 */
describe('the ring viewer in a browser', () => {
  let db: Db;
  let market: LoadedMarket;
  let serve: ServeProcess;
  let browser: Browser;
  let dataDir: string;
  const keys = { analyst: '', brand: '', revoked: '' };
  const pages: WatchedPage[] = [];
  const clock = () => new Date();

  const open = async (fragment: string): Promise<WatchedPage> => {
    const watched = await openWatchedPage(browser);
    pages.push(watched);
    await watched.page.goto(`${serve.base}/viewer/${fragment}`);
    return watched;
  };

  const membersOf = async (ringId: string): Promise<{ sellerId: string; storeName: string; status: string }[]> => {
    const session = db.driver.session({ database: db.database });
    try {
      const result = await session.run(
        'MATCH (:Ring {ringId: $ringId})<-[:MEMBER_OF]-(s:Seller) RETURN s.sellerId AS sellerId, s.storeName AS storeName, coalesce(s.status, "active") AS status ORDER BY sellerId',
        { ringId },
      );
      return result.records.map((r) => ({ sellerId: r.get('sellerId'), storeName: r.get('storeName'), status: r.get('status') }));
    } finally {
      await session.close();
    }
  };

  beforeAll(async () => {
    db = await freshDb();
    market = await loadMarket(db);
    keys.analyst = (await createApiKey(db, { role: 'analyst', name: 'viewer analyst' }, clock)).token;
    keys.brand = (await createApiKey(db, { role: 'brand', brand: 'Acme', name: 'viewer brand' }, clock)).token;
    keys.revoked = (await createApiKey(db, { role: 'analyst', name: 'viewer revoked' }, clock)).token;
    await revokeApiKey(db, claimedKeyId(keys.revoked)!, clock);
    dataDir = mkdtempSync(join(tmpdir(), 'ringwatch-viewer-'));
    const { uri, user, password } = inject('neo4j');
    serve = await startServe({ ...process.env, NEO4J_URI: uri, NEO4J_USER: user, NEO4J_PASSWORD: password, RINGWATCH_DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    serve?.child.kill('SIGTERM');
    await serve?.exited;
    await db?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists rings riskiest first, and takes the key out of the address bar', async () => {
    const { page, errors } = await open(`#key=${keys.analyst}`);
    await page.waitForSelector('table.rings tbody tr');
    const first = await page.$eval('table.rings tbody tr a.ring-link', (a) => a.textContent);
    expect(first).toBe(market.rings.A);
    expect(page.url()).toBe(`${serve.base}/viewer/#/`);
    expect(errors).toEqual([]);
    // replaceState, not a new entry: going back leaves the viewer, it does not show the key again.
    await page.goBack();
    expect(page.url()).toBe('about:blank');
  });

  it('filters the list to flagged rings of a brand, through the fragment', async () => {
    const { page } = await open(`#/?flagged=true&brand=Zeta&key=${keys.analyst}`);
    await page.waitForSelector('table.rings tbody tr');
    expect(page.url()).toBe(`${serve.base}/viewer/#/?flagged=true&brand=Zeta`);
    const rings = await page.$$eval('table.rings a.ring-link', (links) => links.map((a) => a.textContent));
    expect(rings).toEqual(expect.arrayContaining([market.rings.A, market.rings.B]));
    expect(rings).not.toContain(market.rings.C);
  });

  it('draws a ring on a non-blank canvas, hubs apart, and names every member store', async () => {
    const { page, errors } = await open(`#/rings/${market.rings.A}&key=${keys.analyst}`);
    const canvas = await page.waitForSelector('#ring-graph.drawn');
    expect(page.url()).toBe(`${serve.base}/viewer/#/rings/${market.rings.A}`);
    const pixels = await drawnPixels(browser, await canvas!.screenshot());
    expect(pixels.colours).toBeGreaterThan(20);
    expect(pixels.inked).toBeGreaterThan(0.01);
    const text = await page.$eval('#members', (el) => el.textContent ?? '');
    const members = await membersOf(market.rings.A);
    expect(members).toHaveLength(5);
    for (const m of members) {
      expect(text).toContain(m.sellerId);
      expect(text).toContain(m.storeName);
    }
    expect(await page.$eval('#factors', (el) => el.textContent)).toMatch(/price below reference/);
    // The fulfilment centre is a hub: in the drawing, set apart, with its seller count.
    expect(await page.$eval('#identifiers', (el) => el.textContent)).toMatch(/Hubs left out of detection: .*\d+ sellers/);
    expect(errors).toEqual([]);
  });

  it('shows a node’s evidence when it is pointed at', async () => {
    const { page } = await open(`#/rings/${market.rings.A}&key=${keys.analyst}`);
    const canvas = await page.waitForSelector('#ring-graph.drawn');
    const box = (await canvas!.boundingBox())!;
    // Sweep the drawing until the pointer meets a node.
    let shown = '';
    for (let y = 20; y < box.height - 10 && !shown; y += 8) {
      for (let x = 20; x < box.width - 10 && !shown; x += 8) {
        await page.mouse.move(box.x + x, box.y + y);
        shown = await page.$eval('#evidence', (el) => (el.querySelector('h4') ? el.textContent ?? '' : ''));
      }
    }
    expect(shown).toMatch(/Best Shoes|payment account|phone|address|carrier account|hub/);
  });

  it('closes a ring from the page: a dry run first, then the closure of exactly those stores', async () => {
    const ringId = market.rings.B;
    const before = await membersOf(ringId);
    const { page, requests } = await open(`#/rings/${ringId}&key=${keys.analyst}`);
    await page.waitForSelector('#closure-reason');
    await page.type('#closure-reason', 'counterfeit Zeta bags, one photo, one account');
    await page.click('#closure-dry-run');
    await page.waitForSelector('#closure-plan li');
    const plan = await page.$$eval('#closure-plan li', (items) => items.map((li) => li.textContent));
    expect(plan.sort()).toEqual(before.map((m) => m.sellerId).sort());
    expect((await membersOf(ringId)).every((m) => m.status !== 'closed')).toBe(true);

    await page.click('#closure-confirm');
    await page.waitForSelector('#flash');
    expect(await page.$eval('#flash', (el) => el.textContent)).toMatch(new RegExp(`Closed ${before.length} stores`));
    const after = await membersOf(ringId);
    expect(after.every((m) => m.status === 'closed')).toBe(true);
    const session = db.driver.session({ database: db.database });
    try {
      const ring = await session.run('MATCH (r:Ring {ringId: $ringId}) RETURN r.status AS status', { ringId });
      expect(ring.records[0]?.get('status')).toBe('closed');
    } finally {
      await session.close();
    }
    // The page reloaded the dossier: every member shows closed now.
    await page.waitForSelector('#members');
    const statuses = await page.$$eval('#members tbody tr td:nth-child(3)', (cells) => cells.map((c) => c.textContent));
    expect(statuses.every((s) => s === 'closed')).toBe(true);
    const closurePosts = requests.filter((url) => url.endsWith(`/v1/rings/${ringId}/closures`));
    expect(closurePosts).toHaveLength(2);
  });

  it('refers a ring to an agency from the page', async () => {
    const { page } = await open(`#/rings/${market.rings.D}&key=${keys.analyst}`);
    await page.waitForSelector('#referral-agency');
    await page.type('#referral-agency', 'Shenzhen PSB');
    await page.type('#referral-case', 'SZ-2025-0042');
    await page.click('#referral-submit');
    await page.waitForSelector('#flash');
    expect(await page.$eval('#flash', (el) => el.textContent)).toMatch(/Referred to Shenzhen PSB as RF-[A-Z2-7]{10}/);
    expect(await page.$eval('#history', (el) => el.textContent)).toMatch(/referral RF-[A-Z2-7]{10} to Shenzhen PSB/);
  });

  it('shows a brand key its masked dossier, drawn, with no actions', async () => {
    const { page, requests } = await open(`#/rings/${market.rings.A}&key=${keys.brand}`);
    await page.waitForSelector('#ring-graph.drawn');
    expect(await page.$('#no-actions')).not.toBeNull();
    expect(await page.$$('#actions, #closure-form, #referral-form, #closure-dry-run, #referral-submit')).toHaveLength(0);
    const identifiers = await page.$$eval('#identifiers code.identifier-key', (codes) => codes.map((c) => c.textContent ?? ''));
    expect(identifiers.length).toBeGreaterThan(0);
    for (const key of identifiers) expect(key).toMatch(/^\*\*\*\*/);
    // The graph route is for analysts: a brand key's page never asks for it.
    expect(requests.some((url) => url.includes('/graph'))).toBe(false);
  });

  it('sends a revoked key back to the sign-in box, and forgets it', async () => {
    const { page } = await open(`#/rings/${market.rings.A}&key=${keys.revoked}`);
    await page.waitForSelector('#sign-in .error');
    expect(await page.$eval('#sign-in .error', (el) => el.textContent)).toMatch(/revoked/);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    expect(page.url()).toBe(`${serve.base}/viewer/#/rings/${market.rings.A}`);
    // Signing in with a good key from the box goes on to the page the link named.
    await page.type('#api-key', keys.analyst);
    await page.click('#sign-in button[type=submit]');
    await page.waitForSelector('#ring-graph.drawn');
  });

  it('never puts a key in the address bar or a request URL, and never leaves 127.0.0.1', () => {
    expect(pages.length).toBeGreaterThan(5);
    const secrets = Object.values(keys);
    for (const { page, requests, blocked } of pages) {
      expect(blocked).toEqual([]);
      // The test's own navigations carry the key in the fragment, which a browser never sends:
      // what reaches a server is the URL without it.
      const sent = requests.map((url) => url.split('#')[0]!);
      // (The first page went back to the blank tab it started from.)
      const shown = page.url() === 'about:blank' ? [] : [page.url()];
      for (const url of [...sent, ...shown]) {
        expect(new URL(url).hostname).toBe('127.0.0.1');
        for (const secret of secrets) expect(url).not.toContain(secret);
      }
    }
    for (const secret of secrets) expect(serve.stderr()).not.toContain(secret);
  });

  it('serves the page under a policy that allows only its own scripts and sends no Referer', async () => {
    const response = await fetch(`${serve.base}/viewer/`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await response.text()).not.toMatch(/<script>(?!<\/script>)/);
    const guide = await fetch(`${serve.base}/guide`, { headers: { origin: 'http://localhost:7474' } });
    expect(guide.status).toBe(200);
    expect(guide.headers.get('access-control-allow-origin')).toBe('*');
    const preflight = await fetch(`${serve.base}/guide`, { method: 'OPTIONS', headers: { origin: 'http://localhost:7474', 'access-control-request-headers': 'pragma, cache-control' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('pragma');
  });
});
