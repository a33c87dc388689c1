/// <reference lib="dom" />
// Page functions (page.evaluate, $eval) run in the browser: they are typed with the DOM.
/**
 * Ring viewer benchmark: what a browser downloads to show a ring (bytes of JavaScript) and how long
 * until a 40-store ring is drawn, against Neo4j Browser (the viewer every Community user already
 * has) loading on the same machine in the same run: its JavaScript up to its connect screen.
 *
 *   node scripts/build.js && npx tsx bench/viewer/run.ts [--stores 40] [--runs 10] [--screenshot docs/viewer-ring.png]
 *
 * A disposable managed Neo4j, the market of market.ts through the real ingest and detection, the
 * app served on loopback, Debian's Chromium (headless, SwiftShader WebGL) through puppeteer-core.
 * Not a test: it measures. Results go to bench/RESULTS.md by hand, with the command.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { serve } from '@hono/node-server';
import pino from 'pino';
import type { Browser, HTTPResponse } from 'puppeteer-core';
import { loadOrCreateSigningKey } from '../../src/evidence/signing.ts';
import { Db } from '../../src/graph/db.ts';
import { startLocalNeo4j, stopLocalNeo4j } from '../../src/graph/localNeo4j.ts';
import { migrate } from '../../src/graph/migrations.ts';
import { createApp } from '../../src/http/app.ts';
import { API_DEFAULTS } from '../../src/http/config.ts';
import { createApiKey } from '../../src/keys/apiKeys.ts';
import { launchChromium, openWatchedPage } from '../../test/support/browser.ts';
import { ingestAndDetect, writeParts } from '../../test/support/pipeline.ts';
import { viewerBenchMarket } from './market.ts';

const { values } = parseArgs({
  options: {
    stores: { type: 'string', default: '40' },
    runs: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    screenshot: { type: 'string' },
  },
});
const STORES = Number(values.stores);
const RUNS = Number(values.runs);
const WARMUP = Number(values.warmup);

interface Load {
  jsBytes: number;
  jsGzipBytes: number;
  jsFiles: number;
  ms: number;
}

/** Sums the JavaScript a page loads: every response of type script (or a .js/.mjs URL). */
async function loadAndWeigh(browser: Browser, url: string, ready: (page: import('puppeteer-core').Page) => Promise<number>): Promise<Load & { page: import('puppeteer-core').Page; close: () => Promise<void> }> {
  const watched = await openWatchedPage(browser);
  const scripts: Promise<Buffer>[] = [];
  watched.page.on('response', (response: HTTPResponse) => {
    const type = response.request().resourceType();
    if (type === 'script' || /\.m?js(\?|$)/.test(response.url())) scripts.push(response.buffer().catch(() => Buffer.alloc(0)));
  });
  await watched.page.goto(url);
  const ms = await ready(watched.page);
  const bodies = await Promise.all(scripts);
  return {
    jsBytes: bodies.reduce((n, b) => n + b.length, 0),
    jsGzipBytes: bodies.reduce((n, b) => n + gzipSync(b).length, 0),
    jsFiles: bodies.length,
    ms,
    page: watched.page,
    close: watched.close,
  };
}

/** Points at the drawing until a store's evidence shows, and clicks to keep it: the screenshot shows the panel in use. */
async function pinAStore(page: import('puppeteer-core').Page): Promise<void> {
  const box = (await (await page.$('#ring-graph'))!.boundingBox())!;
  // Rows from the middle outwards: a store near the centre of the ring, whose ties show best.
  const rows = Array.from({ length: Math.floor(box.height / 24) }, (_, i) => box.height / 2 + (i % 2 === 0 ? 1 : -1) * Math.ceil(i / 2) * 12);
  for (const y of rows) {
    for (let x = box.width * 0.3; x < box.width * 0.7; x += 6) {
      await page.mouse.move(box.x + x, box.y + y);
      const title = await page.$eval('#evidence', (el) => el.querySelector('h4')?.textContent ?? '');
      if (title.startsWith('Sneaker Outlet')) {
        await page.mouse.click(box.x + x, box.y + y);
        return;
      }
    }
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

const work = mkdtempSync(join(tmpdir(), 'ringwatch-bench-viewer-'));
const home = join(work, 'neo4j');
console.log(`starting a disposable Neo4j in ${home}`);
const info = await startLocalNeo4j({ home, heap: '1g', pageCache: '256m' });
const db = new Db({ uri: info.uri, user: info.user, password: info.password });
let browser: Browser | undefined;
try {
  await migrate(db);
  const [dir] = writeParts([viewerBenchMarket(STORES)], 'ringwatch-bench-viewer-market-');
  await ingestAndDetect(db, [{ dir: dir!, detectAt: '2025-02-01T00:00:00Z' }]);
  const session = db.driver.session({ database: db.database });
  const top = await session.run('MATCH (r:Ring {active: true}) RETURN r.ringId AS ringId, r.size AS size ORDER BY r.size DESC LIMIT 1');
  await session.close();
  const ringId = String(top.records[0]!.get('ringId'));
  const size = Number(top.records[0]!.get('size'));
  console.log(`the largest ring: ${ringId}, ${size} stores`);

  const dataDir = join(work, 'data');
  const app = createApp({ db, config: { ...API_DEFAULTS, dataDir, rateLimit: { burst: 10_000, perSecond: 10_000 } }, clock: () => new Date(), logger: pino({ level: 'silent' }), signingKey: loadOrCreateSigningKey(dataDir) });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const key = (await createApiKey(db, { role: 'analyst', name: 'bench viewer' }, () => new Date())).token;

  browser = await launchChromium();
  const ours: (Load & { layoutMs: number; askedMs: number; apiMs: number; nodes: number })[] = [];
  const peer: Load[] = [];
  for (let run = 0; run < WARMUP + RUNS; run++) {
    const counted = run >= WARMUP;
    // Alternate, so that neither side always meets a warmer machine.
    const viewer = await loadAndWeigh(browser, `${base}/viewer/#/rings/${ringId}&key=${key}`, async (page) => {
      const canvas = await page.waitForSelector('#ring-graph.drawn', { timeout: 60_000 });
      return Number(await canvas!.evaluate((el) => (el as HTMLElement).dataset.drawnMs));
    });
    const attrs = await viewer.page.$eval('#ring-graph', (el) => {
      const data = (el as HTMLElement).dataset;
      return { layoutMs: Number(data.layoutMs), askedMs: Number(data.askedMs), apiMs: Number(data.apiMs), nodes: Number(data.nodes) };
    });
    if (counted) ours.push({ ...viewer, ...attrs });
    if (run === 0 && values.screenshot) {
      await pinAStore(viewer.page);
      await viewer.page.screenshot({ path: values.screenshot, clip: { x: 0, y: 0, width: 1280, height: 860 } });
      console.log(`screenshot: ${values.screenshot}`);
    }
    await viewer.close();
    const browserPage = await loadAndWeigh(browser, info.browserUrl, async (page) => {
      await page.waitForNetworkIdle({ idleTime: 500, timeout: 60_000 });
      // Idle since 500 ms: the page was ready that long before.
      return (await page.evaluate(() => performance.now())) - 500;
    });
    if (counted) peer.push(browserPage);
    await browserPage.close();
  }

  const o = ours[ours.length - 1]!;
  const p = peer[peer.length - 1]!;
  console.log(`\nring ${ringId}: ${size} stores, ${o.nodes} nodes drawn; ${RUNS} runs after ${WARMUP} warm-up, medians`);
  console.log(`ringwatch viewer: JS ${kib(o.jsBytes)} (${kib(o.jsGzipBytes)} gzipped) in ${o.jsFiles} file(s); ring drawn ${median(ours.map((r) => r.ms)).toFixed(0)} ms after navigation, of which dossier + graph API ${median(ours.map((r) => r.apiMs)).toFixed(0)} ms, ForceAtlas2 layout ${median(ours.map((r) => r.layoutMs)).toFixed(1)} ms`);
  console.log(`  page start to first API call ${median(ours.map((r) => r.askedMs)).toFixed(0)} ms; API answer to ring on screen (layout + first frame) ${median(ours.map((r) => r.ms - r.askedMs - r.apiMs)).toFixed(0)} ms`);
  console.log(`  per run, ms to drawn: ${ours.map((r) => r.ms.toFixed(0)).join(', ')}; layout: ${ours.map((r) => r.layoutMs.toFixed(1)).join(', ')}`);
  console.log(`Neo4j Browser:    JS ${kib(p.jsBytes)} (${kib(p.jsGzipBytes)} gzipped) in ${p.jsFiles} file(s); connect screen idle ${median(peer.map((r) => r.ms)).toFixed(0)} ms after navigation (no ring drawn yet)`);
  console.log(`JS ratio (Neo4j Browser / viewer): ${(p.jsBytes / o.jsBytes).toFixed(1)}x`);
  await new Promise((resolve) => server.close(resolve));
} finally {
  await browser?.close();
  await db.close();
  await stopLocalNeo4j(home);
  rmSync(work, { recursive: true, force: true });
}
