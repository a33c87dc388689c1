/**
 * The Bloom perspective (bloom/ringwatch-perspective.json) and the Neo4j Browser guide
 * (browser-guide/ringwatch.html) against a real Neo4j: every Cypher statement either file holds
 * (search phrases, their suggestion queries, scene actions, guide blocks) runs in a read session on
 * a small market loaded by the real ingest and detection (bloomMarket.ts), and the key ones return
 * the stores they should.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import neo4j, { isNode, isPath, isRelationship, type Node } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/graph/db.ts';
import { toGraphRow } from '../../src/ingest/graphRows.ts';
import { normaliseAccountId } from '../../src/ingest/normalise/account.ts';
import { addressKey } from '../../src/ingest/normalise/address.ts';
import { freshDb } from '../support/db.ts';
import { CARRIER_ACCOUNTS, HUB_STORES, loadBloomMarket, PAYMENTS, RETURN_ADDRESSES } from './bloomMarket.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface TemplateParam {
  name: string;
  dataType: string;
  suggestionLabel: string | null;
  suggestionProp: string | null;
  cypher: string | null;
}
interface Template {
  name: string;
  id: string;
  text: string;
  cypher: string;
  params: TemplateParam[];
}
interface SceneAction {
  name: string;
  id: string;
  cypher: string;
}
interface StyleRule {
  id: string;
  type: string;
  basedOn: string;
  condition: string;
  conditionValue?: string | number;
  color: string;
  size: number;
  applyColor: boolean;
  applySize: boolean;
}
interface Category {
  id: number;
  name: string;
  color: string;
  icon: string;
  labels: string[];
  properties: { name: string; exclude: boolean; dataType: string }[];
  captions: { key: string; type: string; isCaption: boolean }[];
  styleRules: StyleRule[];
}
interface Perspective {
  name: string;
  id: string;
  version: string;
  categories: Category[];
  labels: Record<string, { propertyKey: string; type: string; dataType: string }[]>;
  relationshipTypes: { name: string; id: string; color: string }[];
  templates: Template[];
  sceneActions: SceneAction[];
  hiddenRelationshipTypes: string[];
  hideUncategorisedData: boolean;
}

const perspective = JSON.parse(readFileSync(join(ROOT, 'bloom', 'ringwatch-perspective.json'), 'utf8')) as Perspective;
const guideHtml = readFileSync(join(ROOT, 'browser-guide', 'ringwatch.html'), 'utf8');

/** What Neo4j Browser puts into the editor for a `pre.runnable` block: its text content, trimmed. */
function guideBlocks(html: string): string[] {
  const blocks: string[] = [];
  const visible = html.replace(/<!--[\s\S]*?-->/g, '');
  for (const match of visible.matchAll(/<pre\b[^>]*\bclass="[^"]*\brunnable\b[^"]*"[^>]*>([\s\S]*?)<\/pre>/g)) {
    const text = match[1]!
      .replace(/<[^>]+>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&');
    blocks.push(text.trim());
  }
  return blocks;
}

const blocks = guideBlocks(guideHtml);
const guideCypher = blocks.filter((b) => !b.startsWith(':'));
const guideParams = blocks
  .filter((b) => b.startsWith(':param'))
  .map((b) => /^:param\s+(\w+)\s*=>\s*(.+)$/s.exec(b))
  .map((m) => ({ name: m?.[1], value: m?.[2] }));

/** `$name` parameters a statement uses (string literals and comments left out). */
function paramsOf(cypher: string): string[] {
  const code = cypher.replace(/\/\/.*$/gm, '').replace(/'(?:[^'\\]|\\.)*'/g, "''");
  return [...new Set([...code.matchAll(/\$([A-Za-z_]\w*)/g)].map((m) => m[1]!))].sort();
}

// ---- the graph ------------------------------------------------------------------------------

// The market (bloomMarket.ts) as ingest and detection wrote it: ring ids are detection's, found by member.
let RING_A = '';
let RING_B = '';
let RING_C = '';
let RING_D = ''; // dissolved in the second run: inactive, no members, still flagged

const key = (raw: string) => normaliseAccountId(raw)!;
/** A carrier account's node key, as ingest makes it from a shipping link (keyed with its carrier). */
const carrierKey = (raw: string, carrier: string) => toGraphRow('shipping_links', { seller_id: 'x', shipment_id: 'x', carrier, carrier_account: raw } as never, () => undefined).carrierAccountKey!;
const returnAddressKey = addressKey(RETURN_ADDRESSES[0]!);
const payments = PAYMENTS;
const carrierAccounts = CARRIER_ACCOUNTS;

// ---- running statements -----------------------------------------------------------------------

interface Ran {
  records: Record<string, unknown>[];
  nodes: Node[];
}

/** Every node a result holds, directly, in paths or in lists. */
function nodesIn(value: unknown, into: Node[]): void {
  if (isNode(value)) into.push(value as Node);
  else if (isPath(value)) {
    for (const segment of value.segments) into.push(segment.start as Node, segment.end as Node);
  } else if (Array.isArray(value)) value.forEach((v) => nodesIn(v, into));
}

function idsOf(ran: Ran, label: string, property: string): string[] {
  return [...new Set(ran.nodes.filter((n) => n.labels.includes(label)).map((n) => String(n.properties[property])))].sort();
}

/** Sample values for every parameter the files use. */
const SAMPLE: Record<string, unknown> = {
  ringId: '', // ring A's, once detection has issued it
  brandKey: 'gucci',
  accountId: '6222-0200 1234 5678',
  sellerId: 'A1',
};

describe('Bloom perspective and Browser guide against a real Neo4j', () => {
  let db: Db;
  const elementIds = new Map<string, string>();

  /** Runs a statement in a READ session, as Bloom runs search phrases, with only the parameters it uses. */
  async function read(statement: string, params: Record<string, unknown> = {}): Promise<Ran> {
    const used = Object.fromEntries(paramsOf(statement).map((name) => [name, params[name]]));
    const session = db.driver.session({ database: db.database, defaultAccessMode: neo4j.session.READ });
    try {
      const result = await session.run(statement, used);
      const nodes: Node[] = [];
      for (const record of result.records) record.forEach((value) => nodesIn(value, nodes));
      return { records: result.records.map((r) => r.toObject()), nodes };
    } finally {
      await session.close();
    }
  }

  const phrase = (text: string): Template => {
    const found = perspective.templates.find((t) => t.text === text);
    if (!found) throw new Error(`no search phrase "${text}" in the perspective`);
    return found;
  };

  beforeAll(async () => {
    db = await freshDb();
    ({ A: RING_A, B: RING_B, C: RING_C, D: RING_D } = (await loadBloomMarket(db)).rings);
    SAMPLE.ringId = RING_A;
    const ran = await read('MATCH (n) WHERE n:Seller OR n:Ring RETURN coalesce(n.sellerId, n.ringId) AS id, elementId(n) AS elementId');
    for (const row of ran.records) elementIds.set(String(row.id), String(row.elementId));
  });
  afterAll(async () => {
    await db.close();
  });

  describe('the perspective file', () => {
    const byLabel = (label: string) => perspective.categories.find((c) => c.labels.includes(label));

    it('has the top-level shape of a Bloom 2.x export', () => {
      expect(perspective.name).toMatch(/ringwatch/);
      expect(perspective.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(perspective.version).toMatch(/^2\.\d+\.\d+$/);
      for (const field of ['categories', 'labels', 'relationshipTypes', 'palette', 'templates', 'sceneActions', 'hiddenRelationshipTypes', 'hideUncategorisedData', 'createdAt', 'lastEditedAt']) {
        expect(perspective, field).toHaveProperty(field);
      }
    });

    it('has a category with colour, icon, properties and a caption for every label of the model', () => {
      for (const label of ['Seller', 'Ring', 'PaymentAccount', 'Address', 'Phone', 'CarrierAccount', 'Listing', 'ImageHash']) {
        const category = byLabel(label);
        expect(category, label).toBeDefined();
        expect(category!.color).toMatch(/^#[0-9A-Fa-f]{6}$/);
        expect(category!.icon).toBeTruthy();
        expect(category!.properties.length).toBeGreaterThan(0);
        expect(category!.captions.filter((c) => c.isCaption)).toHaveLength(1);
        expect(perspective.labels[label]?.map((p) => p.propertyKey)).toEqual(category!.properties.map((p) => p.name));
      }
      expect(new Set(perspective.categories.map((c) => c.id)).size).toBe(perspective.categories.length);
      expect(byLabel('Seller')!.properties.find((p) => p.name === 'email')?.exclude).toBe(true);
    });

    it('colours sellers and rings by risk: red from 60, amber from 30, grey below', () => {
      /** Bloom applies, per attribute, the first rule in the list that matches. */
      const colourFor = (rules: StyleRule[], prop: string, value: number) => {
        const rule = rules.find((r) => {
          if (r.basedOn !== `${prop}_number` || !r.applyColor) return false;
          const threshold = Number(r.conditionValue);
          return r.condition === 'greater-than' ? value > threshold : r.condition === 'less-than' ? value < threshold : false;
        });
        return rule?.color;
      };
      for (const [label, prop] of [['Seller', 'ringRisk'], ['Ring', 'riskScore']] as const) {
        const rules = byLabel(label)!.styleRules;
        expect(rules.every((r) => r.type === 'single' && /^rule:/.test(r.id))).toBe(true);
        const red = colourFor(rules, prop, 99);
        const amber = colourFor(rules, prop, 45);
        const grey = colourFor(rules, prop, 5);
        expect(new Set([red, amber, grey]).size).toBe(3);
        // Scores carry one decimal: every boundary lands on the right side.
        expect([100, 82.5, 60, 60.1].map((v) => colourFor(rules, prop, v))).toEqual([red, red, red, red]);
        expect([59.9, 45, 30].map((v) => colourFor(rules, prop, v))).toEqual([amber, amber, amber]);
        expect([29.9, 12, 0].map((v) => colourFor(rules, prop, v))).toEqual([grey, grey, grey]);
        // The riskier, the bigger.
        const sizeFor = (v: number) => rules.find((r) => colourFor([r], prop, v))!.size;
        expect(sizeFor(90)).toBeGreaterThan(sizeFor(45));
        expect(sizeFor(45)).toBeGreaterThan(sizeFor(5));
      }
      for (const label of ['PaymentAccount', 'Address', 'Phone', 'CarrierAccount', 'ImageHash']) {
        expect(byLabel(label)!.styleRules, label).toContainEqual(expect.objectContaining({ basedOn: 'hub_boolean', condition: 'is-true' }));
      }
    });

    it('knows every relationship type of the model and hides only bookkeeping ones', () => {
      const names = perspective.relationshipTypes.map((r) => r.name);
      for (const type of ['MEMBER_OF', 'LISTED_BY', 'HAS_IMAGE', 'PAYS_INTO', 'USES_ADDRESS', 'SHIPS_FROM', 'HAS_PHONE', 'SENDS_FROM_PHONE', 'SHIPS_WITH', 'TOUCHES_HUB', 'HAD_EVENT', 'DETECTED_IN']) {
        expect(names, type).toContain(type);
      }
      expect(perspective.hiddenRelationshipTypes.every((t) => names.includes(t))).toBe(true);
      expect(perspective.hiddenRelationshipTypes).not.toContain('MEMBER_OF');
    });

    it('has the search phrases, each declaring exactly the parameters its Cypher uses', () => {
      const texts = perspective.templates.map((t) => t.text);
      for (const text of ['ring $ringId', 'rings of brand $brandKey', 'sellers sharing account $accountId', 'top flagged rings', 'hubs touching ring $ringId']) {
        expect(texts).toContain(text);
      }
      expect(new Set(perspective.templates.map((t) => t.id)).size).toBe(perspective.templates.length);
      for (const t of perspective.templates) {
        const inPhrase = [...t.text.matchAll(/\$(\w+)/g)].map((m) => m[1]!).sort();
        expect(t.params.map((p) => p.name.replace(/^\$/, '')).sort(), t.text).toEqual(inPhrase);
        expect(paramsOf(t.cypher), t.text).toEqual(inPhrase);
        for (const p of t.params) {
          expect(p.name).toMatch(/^\$\w+$/);
          expect(['String', 'Integer', 'Float', 'Boolean']).toContain(p.dataType);
        }
      }
    });

    it('has scene actions that work on the selection ($nodes) only', () => {
      expect(perspective.sceneActions.length).toBeGreaterThan(0);
      for (const a of perspective.sceneActions) expect(paramsOf(a.cypher), a.name).toEqual(['nodes']);
    });
  });

  describe('the Browser guide file', () => {
    it('is a slide guide Browser 5 can load, with runnable blocks', () => {
      expect(guideHtml).toMatch(/<title>[^<]+<\/title>/);
      expect((guideHtml.match(/<slide\b/g) ?? []).length).toBeGreaterThanOrEqual(5);
      expect(guideHtml).not.toMatch(/<script\b/i); // Browser strips scripts anyway
      expect(guideCypher.length).toBeGreaterThanOrEqual(perspective.templates.length);
    });

    it('holds every search phrase of the perspective verbatim', () => {
      for (const t of perspective.templates) expect(guideCypher, t.text).toContain(t.cypher);
    });

    it('sets, with :param blocks, every parameter its queries use, and no other', () => {
      const set = guideParams.map((p) => p.name).sort();
      const used = [...new Set(guideCypher.flatMap(paramsOf))].sort();
      expect(set).toEqual(used);
      for (const p of guideParams) expect(p.value, p.name).toMatch(/^'[^']*'$/);
    });
  });

  describe('every statement runs', () => {
    const statements: { what: string; cypher: string }[] = [
      ...perspective.templates.map((t) => ({ what: `search phrase "${t.text}"`, cypher: t.cypher })),
      ...perspective.templates.flatMap((t) => t.params.filter((p) => p.cypher).map((p) => ({ what: `suggestions for ${p.name} of "${t.text}"`, cypher: p.cypher! }))),
      ...perspective.sceneActions.map((a) => ({ what: `scene action "${a.name}"`, cypher: a.cypher })),
      ...guideCypher.map((cypher, i) => ({ what: `guide block ${i + 1}: ${cypher.split('\n')[0]}`, cypher })),
    ];

    it.each(statements)('$what', async ({ cypher }) => {
      const ran = await read(cypher, { ...SAMPLE, nodes: [elementIds.get('A1'), elementIds.get(RING_A)] });
      expect(ran.records.length).toBeGreaterThan(0);
    });

    it('search phrases return graph elements for Bloom to draw', async () => {
      for (const t of perspective.templates) {
        const ran = await read(t.cypher, SAMPLE);
        expect(ran.nodes.length, t.text).toBeGreaterThan(0);
      }
    });
  });

  describe('the key searches find what they should', () => {
    it('"ring $ringId" shows the ring, its members and what they share', async () => {
      const ran = await read(phrase('ring $ringId').cypher, { ringId: RING_A });
      expect(idsOf(ran, 'Ring', 'ringId')).toEqual([RING_A]);
      expect(idsOf(ran, 'Seller', 'sellerId')).toEqual(['A1', 'A2', 'A3']);
      expect(idsOf(ran, 'PaymentAccount', 'key')).toEqual([key('6222 0200-1234 5678')]);
      expect(idsOf(ran, 'Address', 'key')).toEqual([returnAddressKey]); // one node for three spellings
      // A1's own phone and warehouse are nobody else's in the ring: not drawn
      expect(idsOf(ran, 'Phone', 'key')).toEqual([]);
      const other = await read(phrase('ring $ringId').cypher, { ringId: RING_B });
      expect(idsOf(other, 'Seller', 'sellerId')).toEqual(['B1', 'B2']);
      expect(idsOf(other, 'Phone', 'key')).toEqual(['+8613800138000']);
      expect((await read(phrase('ring $ringId').cypher, { ringId: 'R-NOSUCHRI' })).records).toEqual([]);
    });

    it('"sellers sharing account $accountId" finds the account however it is typed', async () => {
      const sellersFor = async (accountId: string) => {
        const ran = await read(phrase('sellers sharing account $accountId').cypher, { accountId });
        return { sellers: idsOf(ran, 'Seller', 'sellerId'), rings: idsOf(ran, 'Ring', 'ringId') };
      };
      expect(await sellersFor('6222-0200 1234 5678')).toEqual({ sellers: ['A1', 'A2'], rings: [RING_A] });
      expect((await sellersFor(' 6222020012345678 ')).sellers).toEqual(['A1', 'A2']);
      expect((await sellersFor('6222/0200/1234/5678')).sellers).toEqual(['A1', 'A2']);
      expect((await sellersFor('DE89-3704-0044-0532')).sellers).toEqual(['A3']);
      expect((await sellersFor('de89 3704 0044 0532')).sellers).toEqual(['A3']);
      expect((await sellersFor('6222 0300 9999 0000')).sellers).toEqual(['B1', 'B2']);
      // carrier accounts are keyed the same way
      expect(await sellersFor('SFCA\u2212778801')).toEqual({ sellers: ['C1', 'C2'], rings: [RING_C] });
      // the hub: everyone, ring or not
      expect((await sellersFor('aggregator-1')).sellers).toEqual(['A1', 'B1', ...HUB_STORES].sort());
      expect((await sellersFor('6222 0200 1234 5679')).sellers).toEqual([]);
    });

    it('keys every raw form exactly as ingest does', async () => {
      const typed = [...payments.map((p) => ({ raw: p.raw, stored: key(p.raw) })), ...carrierAccounts.map((c) => ({ raw: c.raw, stored: carrierKey(c.raw, c.carrier) }))];
      for (const { raw, stored } of typed) {
        const ran = await read(phrase('sellers sharing account $accountId').cypher, { accountId: raw });
        const keys = [...new Set(ran.nodes.filter((n) => n.labels.includes('PaymentAccount') || n.labels.includes('CarrierAccount')).map((n) => n.properties.key))];
        expect(keys, JSON.stringify(raw)).toEqual([stored]);
      }
      // A carrier account's number meets its node with the carrier written before it, too.
      expect((await read(phrase('sellers sharing account $accountId').cypher, { accountId: 'sf:SFCA-7788-01' })).nodes.map((n) => n.properties.key)).toContain(carrierKey('SFCA 778801', 'SF'));
    });

    it('"rings of brand $brandKey" offers the brand keys ingest wrote and finds active rings by one', async () => {
      // One normaliser (src/vocabulary.ts brandKey) keyed the listings; the phrase offers those keys instead of keying again.
      const template = phrase('rings of brand $brandKey');
      const suggested = (await read(template.params.find((p) => p.name === '$brandKey')!.cypher!)).records.map((r) => r.brandKey);
      expect(suggested).toEqual(expect.arrayContaining(['gucci', 'nike', 'louis vuitton']));
      const ringsFor = async (key: string) => idsOf(await read(template.cypher, { brandKey: key }), 'Ring', 'ringId');
      expect(await ringsFor('gucci')).toEqual([RING_A]); // ring D is inactive; H1 is in no ring
      expect(await ringsFor('nike')).toEqual([RING_B]);
      expect(await ringsFor('louis vuitton')).toEqual([RING_C]);
      expect(await ringsFor('prada')).toEqual([]);
      const ran = await read(template.cypher, { brandKey: 'gucci' });
      expect(idsOf(ran, 'Seller', 'sellerId')).toEqual(['A1', 'A2', 'A3']);
    });

    it('"top flagged rings" shows flagged active rings only', async () => {
      const ran = await read(phrase('top flagged rings').cypher);
      expect(idsOf(ran, 'Ring', 'ringId')).toEqual([RING_A, RING_B].sort()); // idsOf sorts; ring ids are random
      expect(idsOf(ran, 'Seller', 'sellerId')).toEqual(['A1', 'A2', 'A3', 'B1', 'B2']);
      const table = guideCypher.find((c) => c.includes('AS riskScore') && c.includes('r.flagged') && !c.includes('$'))!;
      expect((await read(table)).records.map((r) => r.ringId)).toEqual([RING_A, RING_B]); // riskiest first
      // Ring D, dissolved, is still flagged: the phrases leave it out because it is inactive.
      expect((await read('MATCH (r:Ring {ringId: $ringId}) RETURN r.flagged AS flagged, r.active AS active', { ringId: RING_D })).records).toEqual([{ flagged: true, active: false }]);
    });

    it('"hubs touching ring $ringId" shows the hub and the members using it', async () => {
      const ran = await read(phrase('hubs touching ring $ringId').cypher, { ringId: RING_A });
      const hubs = ran.nodes.filter((n) => n.labels.includes('Hub'));
      expect([...new Set(hubs.map((h) => h.properties.key))]).toEqual([key('AGGREGATOR-1')]);
      expect(idsOf(ran, 'Seller', 'sellerId')).toEqual(['A1']);
      expect((await read(phrase('hubs touching ring $ringId').cypher, { ringId: RING_C })).records).toEqual([]);
    });

    it('the scene actions expand the selection', async () => {
      const action = (start: string) => perspective.sceneActions.find((a) => a.cypher.startsWith(start))!;
      const ringOf = await read(action('MATCH (s:Seller)').cypher, { nodes: [elementIds.get('B1')] });
      const shared = perspective.sceneActions.filter((a) => a.cypher.startsWith('MATCH (s:Seller)'));
      expect(shared.length).toBe(2);
      const results = await Promise.all(shared.map((a) => read(a.cypher, { nodes: [elementIds.get('A1')] })));
      const sellers = results.map((r) => idsOf(r, 'Seller', 'sellerId'));
      expect(sellers).toContainEqual(['A1', 'A2', 'A3']); // ring of A1, or who shares A1's identifiers
      expect(sellers.flat()).not.toContain('H1'); // the hub links nobody
      expect(idsOf(ringOf, 'Seller', 'sellerId')).toEqual(['B1', 'B2']);
      const members = await read(action('MATCH (r:Ring)').cypher, { nodes: [elementIds.get(RING_C)] });
      expect(idsOf(members, 'Seller', 'sellerId')).toEqual(['C1', 'C2']);
    });
  });

  describe('browser-guide/serve.mjs', () => {
    let child: ChildProcess | undefined;
    let base = '';

    beforeAll(async () => {
      child = spawn(process.execPath, [join(ROOT, 'browser-guide', 'serve.mjs'), '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
      base = await new Promise<string>((resolve, reject) => {
        let out = '';
        child!.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const m = /:guide (http:\/\/localhost:\d+)\//.exec(out);
          if (m) resolve(m[1]!.replace('localhost', '127.0.0.1'));
        });
        child!.once('exit', (code) => reject(new Error(`serve.mjs exited with ${code}`)));
      });
    });
    afterAll(() => {
      child?.kill();
    });

    it('answers Browser\'s CORS preflight and serves the guide', async () => {
      const preflight = await fetch(`${base}/ringwatch.html`, {
        method: 'OPTIONS',
        headers: { Origin: 'http://127.0.0.1:7474', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'pragma,cache-control' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
      expect(preflight.headers.get('access-control-allow-headers')).toMatch(/pragma/);
      expect(preflight.headers.get('access-control-allow-headers')).toMatch(/cache-control/);
      const got = await fetch(`${base}/ringwatch.html`, { headers: { pragma: 'no-cache', 'cache-control': 'no-cache' } });
      expect(got.status).toBe(200);
      expect(got.headers.get('access-control-allow-origin')).toBe('*');
      expect(await got.text()).toBe(guideHtml);
      expect((await fetch(`${base}/guide`)).status).toBe(200);
      expect((await fetch(`${base}/serve.mjs`)).status).toBe(404);
      expect((await fetch(`${base}/%2e%2e/package.json`)).status).toBe(404);
    });
  });
});
