/**
 * The Bloom perspective (bloom/ringwatch-perspective.json) and the Neo4j Browser guide
 * (browser-guide/ringwatch.html) against a real Neo4j: every Cypher statement either file holds
 * (search phrases, their suggestion queries, scene actions, guide blocks) runs in a read session on
 * a small graph of ringwatch's model, and the key ones return the stores they should.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import neo4j, { isNode, isPath, isRelationship, type Node } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/graph/db.ts';
import { normaliseAccountId } from '../../src/ingest/normalise/account.ts';
import { freshDb } from '../support/db.ts';

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

const RING_A = 'R-TESTAAAA';
const RING_B = 'R-TESTBBBB';
const RING_C = 'R-TESTCCCC';
const RING_D = 'R-TESTDDDD'; // dissolved in an earlier run: inactive, no members

/** Accounts as sellers typed them; keys come from ingest's own normaliser. */
const payments: { sellerId: string; raw: string; kind: string }[] = [
  { sellerId: 'A1', raw: '6222 0200-1234 5678', kind: 'bank' },
  { sellerId: 'A2', raw: '6222.0200.1234.5678', kind: 'bank' },
  { sellerId: 'A3', raw: 'de89 3704/0044\\0532', kind: 'bank' },
  { sellerId: 'B1', raw: '６２２２–0300\u200b9999 0000', kind: 'card' },
  { sellerId: 'B2', raw: '6222 0300 9999 0000', kind: 'card' },
  // the aggregator wallet: a hub
  { sellerId: 'A1', raw: 'AGGREGATOR-1', kind: 'wallet' },
  { sellerId: 'B1', raw: 'aggregator 1', kind: 'wallet' },
  { sellerId: 'H1', raw: 'AGGREGATOR-1', kind: 'wallet' },
  { sellerId: 'H2', raw: 'AGGREGATOR-1', kind: 'wallet' },
  { sellerId: 'H3', raw: 'AGGREGATOR-1', kind: 'wallet' },
];
const carrierAccounts = [
  { sellerId: 'C1', raw: 'sf-ca 7788·01', carrier: 'SF' },
  { sellerId: 'C2', raw: 'SFCA 778801', carrier: 'SF' },
];
const key = (raw: string) => normaliseAccountId(raw)!;

async function buildGraph(db: Db): Promise<void> {
  const session = db.driver.session({ database: db.database });
  const run = (statement: string, params: Record<string, unknown> = {}) => session.executeWrite((tx) => tx.run(statement, params));
  try {
    await run(
      `UNWIND $rings AS ring
       CREATE (r:Ring {ringId: ring.ringId, riskScore: ring.riskScore, flagged: ring.flagged, size: ring.size,
                       brands: ring.brands, factors: ring.factors, active: ring.active, status: 'open', runId: 'run-1',
                       firstSeen: datetime('2026-07-01T00:00:00Z'), lastSeen: datetime('2026-08-01T00:00:00Z')})`,
      {
        rings: [
          { ringId: RING_A, riskScore: 82.5, flagged: true, size: 3, brands: ['Gucci'], active: true, factors: '[{"name":"shared_payment_accounts","contribution":30}]' },
          { ringId: RING_B, riskScore: 64.0, flagged: true, size: 2, brands: ['Nike'], active: true, factors: '[]' },
          { ringId: RING_C, riskScore: 12.0, flagged: false, size: 2, brands: ['Louis Vuitton'], active: true, factors: '[]' },
          { ringId: RING_D, riskScore: 99.0, flagged: true, size: 0, brands: ['Gucci'], active: false, factors: '[]' },
        ],
      },
    );
    const sellers = [
      ...['A1', 'A2', 'A3'].map((id) => ({ id, ring: RING_A, risk: 82.5 })),
      ...['B1', 'B2'].map((id) => ({ id, ring: RING_B, risk: 64.0 })),
      ...['C1', 'C2'].map((id) => ({ id, ring: RING_C, risk: 12.0 })),
      ...['H1', 'H2', 'H3'].map((id) => ({ id, ring: null, risk: null })),
    ];
    await run(
      `UNWIND $sellers AS row
       CREATE (s:Seller {sellerId: row.id, storeName: 'Store ' + row.id, country: 'CN', email: toLower(row.id) + '@example.com',
                         registeredAt: datetime('2025-05-01T00:00:00Z'), placeholder: false})
       WITH s, row WHERE row.ring IS NOT NULL
       MATCH (r:Ring {ringId: row.ring})
       CREATE (s)-[:MEMBER_OF]->(r)
       SET s.ringId = row.ring, s.ringRisk = row.risk`,
      { sellers },
    );
    await run(
      `UNWIND $rows AS row
       MATCH (s:Seller {sellerId: row.sellerId})
       MERGE (a:PaymentAccount {key: row.key}) SET a.kind = row.kind
       MERGE (s)-[p:PAYS_INTO]->(a) SET p.raw = row.raw, p.kind = row.kind`,
      { rows: payments.map((p) => ({ ...p, key: key(p.raw) })) },
    );
    await run(
      `UNWIND $rows AS row
       MATCH (s:Seller {sellerId: row.sellerId})
       MERGE (c:CarrierAccount {key: row.key}) ON CREATE SET c.carrier = row.carrier
       MERGE (s)-[w:SHIPS_WITH]->(c) SET w.raw = row.raw, w.carrier = row.carrier, w.shipmentId = row.sellerId + '-S1'`,
      { rows: carrierAccounts.map((c) => ({ ...c, key: key(c.raw) })) },
    );
    // Ring A shares a return address; A1 also ships from a warehouse; ring B shares a sender phone.
    await run(
      `MERGE (ret:Address {key: 'room 101|8 market road|guangzhou|cn'}) SET ret.city = 'Guangzhou', ret.country = 'CN'
       MERGE (wh:Address {key: 'unit 5|2 port road|shenzhen|cn'}) SET wh.city = 'Shenzhen', wh.country = 'CN'
       MERGE (ph:Phone {key: '+8613800138000'})
       MERGE (own:Phone {key: '+8613900000001'})
       WITH ret, wh, ph, own
       MATCH (a1:Seller {sellerId: 'A1'}), (a2:Seller {sellerId: 'A2'}), (a3:Seller {sellerId: 'A3'}),
             (b1:Seller {sellerId: 'B1'}), (b2:Seller {sellerId: 'B2'})
       CREATE (a1)-[:USES_ADDRESS {role: 'return', raw: 'Rm 101, 8 Market Rd, Guangzhou'}]->(ret),
              (a2)-[:USES_ADDRESS {role: 'return', raw: 'Room 101, No. 8 Market Road, Guangzhou'}]->(ret),
              (a3)-[:USES_ADDRESS {role: 'return', raw: 'ROOM 101 8 MARKET RD GUANGZHOU'}]->(ret),
              (a1)-[:SHIPS_FROM {raw: 'Unit 5, 2 Port Rd, Shenzhen', shipmentId: 'A1-S1', carrier: 'SF'}]->(wh),
              (a1)-[:HAS_PHONE {raw: '139 0000 0001'}]->(own),
              (b1)-[:SENDS_FROM_PHONE {raw: '138 0013 8000'}]->(ph),
              (b2)-[:SENDS_FROM_PHONE {raw: '+86 138-0013-8000'}]->(ph)`,
    );
    await run(
      `UNWIND $rows AS row
       MATCH (s:Seller {sellerId: row.sellerId})
       CREATE (l:Listing {listingId: row.sellerId + '-L1', title: row.brand + ' bag', price: row.price, currency: 'USD',
                          brand: row.brand, brandKey: toLower(row.brand), category: 'bags'})-[:LISTED_BY]->(s)
       WITH l, row WHERE row.image IS NOT NULL
       MERGE (i:ImageHash {key: row.image})
       CREATE (l)-[:HAS_IMAGE]->(i)`,
      {
        rows: [
          { sellerId: 'A1', brand: 'Gucci', price: 300, image: 'img-aaa' },
          { sellerId: 'A2', brand: 'Gucci', price: 280, image: 'img-aaa' },
          { sellerId: 'A3', brand: 'Gucci', price: 310, image: null },
          { sellerId: 'B1', brand: 'Nike', price: 20, image: null },
          { sellerId: 'B2', brand: 'Nike', price: 25, image: null },
          { sellerId: 'C1', brand: 'Louis Vuitton', price: 1500, image: null },
          { sellerId: 'C2', brand: 'Louis Vuitton', price: 1450, image: null },
          { sellerId: 'H1', brand: 'Gucci', price: 1400, image: null },
        ],
      },
    );
    // The hub, as detection marks it, and the rings touching it.
    await run(
      `MATCH (h:PaymentAccount {key: $hubKey})
       SET h:Hub, h.hub = true, h.hubSellerCount = 40
       WITH h
       UNWIND $touches AS touch
       MATCH (r:Ring {ringId: touch.ringId})
       CREATE (r)-[:TOUCHES_HUB {sellers: touch.sellers}]->(h)`,
      { hubKey: key('AGGREGATOR-1'), touches: [{ ringId: RING_A, sellers: ['A1'] }, { ringId: RING_B, sellers: ['B1'] }] },
    );
    await run(
      `CREATE (d:DetectionRun {runId: 'run-1', startedAt: datetime('2026-08-01T00:00:00Z'), finishedAt: datetime('2026-08-01T00:01:00Z'), modularity: 0.61})
       WITH d
       MATCH (r:Ring) WHERE r.active
       CREATE (r)-[:DETECTED_IN]->(d)
       CREATE (r)-[:HAD_EVENT]->(:RingEvent {type: 'new', runId: 'run-1', at: datetime('2026-08-01T00:01:00Z'), detail: 'first seen'})`,
    );
  } finally {
    await session.close();
  }
}

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
  ringId: RING_A,
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
    await buildGraph(db);
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
      expect(idsOf(ran, 'Address', 'key')).toEqual(['room 101|8 market road|guangzhou|cn']);
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
      expect((await sellersFor('aggregator-1')).sellers).toEqual(['A1', 'B1', 'H1', 'H2', 'H3']);
      expect((await sellersFor('6222 0200 1234 5679')).sellers).toEqual([]);
    });

    it('keys every raw form exactly as ingest does', async () => {
      for (const raw of [...payments, ...carrierAccounts].map((p) => p.raw)) {
        const ran = await read(phrase('sellers sharing account $accountId').cypher, { accountId: raw });
        const keys = [...new Set(ran.nodes.filter((n) => n.labels.includes('PaymentAccount') || n.labels.includes('CarrierAccount')).map((n) => n.properties.key))];
        expect(keys, JSON.stringify(raw)).toEqual([key(raw)]);
      }
    });

    it('"rings of brand $brandKey" offers the brand keys ingest wrote and finds active rings by one', async () => {
      // One normaliser (src/vocabulary.ts brandKey) keyed the listings; the phrase offers those keys instead of keying again.
      const template = phrase('rings of brand $brandKey');
      const suggested = (await read(template.params.find((p) => p.name === '$brandKey')!.cypher!)).records.map((r) => r.brandKey);
      expect(suggested).toEqual(expect.arrayContaining(['gucci', 'nike', 'louis vuitton']));
      const ringsFor = async (key: string) => idsOf(await read(template.cypher, { brandKey: key }), 'Ring', 'ringId');
      expect(await ringsFor('gucci')).toEqual([RING_A]); // R-TESTDDDD is inactive; H1 is in no ring
      expect(await ringsFor('nike')).toEqual([RING_B]);
      expect(await ringsFor('louis vuitton')).toEqual([RING_C]);
      expect(await ringsFor('prada')).toEqual([]);
      const ran = await read(template.cypher, { brandKey: 'gucci' });
      expect(idsOf(ran, 'Seller', 'sellerId')).toEqual(['A1', 'A2', 'A3']);
    });

    it('"top flagged rings" shows flagged active rings only', async () => {
      const ran = await read(phrase('top flagged rings').cypher);
      expect(idsOf(ran, 'Ring', 'ringId')).toEqual([RING_A, RING_B]);
      expect(idsOf(ran, 'Seller', 'sellerId')).toEqual(['A1', 'A2', 'A3', 'B1', 'B2']);
      const table = guideCypher.find((c) => c.includes('AS riskScore') && c.includes('r.flagged') && !c.includes('$'))!;
      expect((await read(table)).records.map((r) => r.ringId)).toEqual([RING_A, RING_B]);
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
