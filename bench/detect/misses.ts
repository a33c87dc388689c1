/**
 * Why a planted ring was missed: one generated market through the real ingest and detection (as
 * bench/detect/quality.ts does), then, for every planted ring not matched by a flagged ring and
 * every bridged pair not found apart, what detection made of it: the found rings that hold its
 * stores (size, score, flagged, how many of the planted stores), the stores left out of every ring,
 * the identifiers its stores share (kind, which of its stores, how many stores in all), and the
 * projection's links among them as detection saw them (weight, kinds, tie or loose); and every
 * flagged ring that matches no planted ring, with where its stores come from.
 *
 *   npx tsx bench/detect/misses.ts [--sellers 200000] [--seed 2] [--rings N] [--preset classic] [--heap 4g]
 *
 * Not a test: a look at the misses that quality.ts counts, to tell a scoring miss from a split one.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { evaluateDetection } from '../../src/analysis/evaluate.ts';
import type { MarketTruth, TruthRing } from '../../src/analysis/marketTruth.ts';
import { runDetection } from '../../src/analysis/runDetection.ts';
import { Db } from '../../src/graph/db.ts';
import { Neo4jDetectionStore } from '../../src/graph/detectionStore.ts';
import { startLocalNeo4j, stopLocalNeo4j } from '../../src/graph/localNeo4j.ts';
import { migrate } from '../../src/graph/migrations.ts';
import { generateMarket, MARKET_PRESETS, type MarketPreset } from '../../src/ingest/generate.ts';
import { ingestDirectory } from '../../src/ingest/load.ts';
import { SellerGraphBuilder } from '../../src/analysis/projection.ts';
import { COMMUNITY_DEFAULTS, looseTieTest } from '../../src/analysis/communities.ts';
import { kindsFromMask } from '../../src/vocabulary.ts';

const { values } = parseArgs({
  options: {
    sellers: { type: 'string', default: '200000' },
    seed: { type: 'string', default: '2' },
    rings: { type: 'string' },
    preset: { type: 'string', default: 'classic' },
    heap: { type: 'string', default: '4g' },
  },
});
const sellers = Number(values.sellers);
const seed = Number(values.seed);
const rings = values.rings === undefined ? Math.round(sellers / 100) : Number(values.rings);
if (!(MARKET_PRESETS as readonly string[]).includes(values.preset!)) throw new Error(`--preset: ${MARKET_PRESETS.join(' or ')}`);

/** Every identifier two or more of `sellerIds` share: its kind, how many of them, how many sellers in all. */
const SHARED_IDENTIFIERS = `
UNWIND $sellerIds AS id
MATCH (s:Seller {sellerId: id})
CALL (s) {
  MATCH (s)-[r:PAYS_INTO|HAS_PHONE|SENDS_FROM_PHONE|SHIPS_WITH|USES_ADDRESS|SHIPS_FROM]->(i)
  RETURN i, type(r) AS via
  UNION
  MATCH (s)<-[:LISTED_BY]-(:Listing)-[:HAS_IMAGE]->(i)
  RETURN i, 'HAS_IMAGE' AS via
}
WITH i, collect(DISTINCT s.sellerId) AS holders, collect(DISTINCT via) AS via
WHERE size(holders) > 1
CALL (i) {
  OPTIONAL MATCH (i)<-[:PAYS_INTO|HAS_PHONE|SENDS_FROM_PHONE|SHIPS_WITH|USES_ADDRESS|SHIPS_FROM]-(other:Seller)
  RETURN count(DISTINCT other) AS direct
}
CALL (i) {
  OPTIONAL MATCH (i)<-[:HAS_IMAGE]-(:Listing)-[:LISTED_BY]->(other:Seller)
  RETURN count(DISTINCT other) AS viaListings
}
RETURN labels(i)[0] AS kind, via, holders, direct + viaListings AS sellersInAll
ORDER BY kind, size(holders) DESC`;

const work = join(tmpdir(), `ringwatch-bench-misses-${process.pid}`);
mkdirSync(work, { recursive: true });
const info = await startLocalNeo4j({ home: join(work, 'neo4j'), heap: values.heap, pageCache: '1g' });
const db = new Db({ uri: info.uri, user: info.user, password: info.password });
try {
  await migrate(db);
  const dir = join(work, 'market');
  const truthFile = join(dir, 'truth.json');
  await generateMarket({ outDir: dir, sellers, rings, seed, truthFile, preset: values.preset as MarketPreset });
  const truth = JSON.parse(readFileSync(truthFile, 'utf8')) as MarketTruth;
  await ingestDirectory(db, dir, { rejectsFile: join(dir, 'rejects.ndjson') });
  const summary = await runDetection(new Neo4jDetectionStore(db), {});
  const found = summary.rings.map((r) => ({ ringId: r.ringId, sellerIds: r.sellerIds, flagged: r.score.flagged, risk: r.score.riskScore }));
  const evaluation = evaluateDetection(found, truth);
  const matched = new Set(evaluation.matches.map((m) => m.plantedRingId));
  const ringOf = new Map<string, (typeof found)[number]>();
  for (const ring of found) for (const id of ring.sellerIds) ringOf.set(id, ring);
  const byId = new Map(truth.rings.map((ring) => [ring.ring_id, ring]));

  // The projection as a full detection builds it, to show the links among a case's stores.
  const builder = new SellerGraphBuilder();
  for await (const group of new Neo4jDetectionStore(db).identifierGroups()) builder.addGroup(group);
  const projection = builder.finish();
  const isLoose = looseTieTest(COMMUNITY_DEFAULTS.tieKinds);
  const printLinks = (ids: readonly string[]) => {
    const index = new Map<number, string>();
    for (const id of ids) {
      const i = projection.indexOf(id);
      if (i !== undefined) index.set(i, id);
    }
    const outside = new Map<string, number>();
    const { source, target, weight, kinds } = projection.edgeArrays;
    for (let e = 0; e < projection.edgeArrays.count; e++) {
      const [a, b] = [index.get(source[e]!), index.get(target[e]!)];
      if (a !== undefined && b !== undefined) {
        console.log(`  link ${a} – ${b}: weight ${weight[e]!.toFixed(3)}, ${kindsFromMask(kinds[e]!).join('+')}${isLoose(kinds[e]!) ? ' (loose)' : ''}`);
      } else if (a !== undefined || b !== undefined) {
        const id = (a ?? b)!;
        outside.set(id, (outside.get(id) ?? 0) + 1);
      }
    }
    for (const [id, count] of outside) console.log(`  ${id}: ${count} links to stores outside these`);
  };

  const session = db.driver.session();
  const describe = async (title: string, planted: TruthRing[]) => {
    console.log(`\n## ${title}`);
    for (const ring of planted) {
      console.log(`planted ${ring.ring_id} (${ring.kind ?? 'ring'}, ${ring.seller_ids.length} stores${ring.bridged_with ? `, bridged with ${ring.bridged_with}` : ''})`);
      const holders = new Map<string, { ring: (typeof found)[number]; members: number }>();
      const alone: string[] = [];
      for (const id of ring.seller_ids) {
        const hit = ringOf.get(id);
        if (!hit) alone.push(id);
        else holders.set(hit.ringId, { ring: hit, members: (holders.get(hit.ringId)?.members ?? 0) + 1 });
      }
      for (const { ring: hit, members } of holders.values()) {
        console.log(`  in ${hit.ringId}: ${members} of its stores, ring of ${hit.sellerIds.length}, risk ${hit.risk}${hit.flagged ? ', flagged' : ', not flagged'}`);
      }
      if (alone.length > 0) console.log(`  in no ring: ${alone.join(', ')}`);
    }
    const ids = [...new Set(planted.flatMap((ring) => ring.seller_ids))];
    const shared = await session.run(SHARED_IDENTIFIERS, { sellerIds: ids });
    for (const record of shared.records) {
      const holders = record.get('holders') as string[];
      const owners = planted.map((ring) => `${ring.ring_id}: ${holders.filter((id) => ring.seller_ids.includes(id)).length}`).join(', ');
      console.log(`  shares ${record.get('kind')} (${(record.get('via') as string[]).join(', ')}): ${holders.join(', ')} (${owners}), ${Number(record.get('sellersInAll'))} stores in all`);
    }
    printLinks(ids);
  };

  console.log(`${values.preset} ${sellers / 1000}k, ${rings} rings, seed ${seed}: ${evaluation.matchedRings} of ${evaluation.plantedRings} planted rings matched by a flagged ring; bridged pairs apart ${evaluation.bridgedPairsSeparated}/${evaluation.bridgedPairs}`);
  for (const ring of truth.rings.filter((r) => !matched.has(r.ring_id))) await describe(`missed: ${ring.ring_id}`, [ring]);
  const seenPairs = new Set<string>();
  for (const ring of truth.rings) {
    const other = ring.bridged_with ? byId.get(ring.bridged_with) : undefined;
    if (!other || seenPairs.has(other.ring_id)) continue;
    seenPairs.add(ring.ring_id);
    const [a, b] = [ringOf.get(ring.seller_ids[0]!), ringOf.get(other.seller_ids[0]!)];
    const apart = matched.has(ring.ring_id) && matched.has(other.ring_id) && a?.ringId !== b?.ringId;
    if (!apart) await describe(`bridged pair not apart: ${ring.ring_id} + ${other.ring_id}`, [ring, other]);
  }
  // Flagged rings that match no planted ring: where their stores come from.
  const matchedFound = new Set(evaluation.matches.map((m) => m.ringId));
  const origin = new Map<string, string>();
  for (const ring of truth.rings) for (const id of ring.seller_ids) origin.set(id, ring.ring_id);
  for (const group of truth.honest_groups) for (const id of group.seller_ids) origin.set(id, `${group.kind} ${group.group_id}`);
  for (const ring of found.filter((r) => r.flagged && !matchedFound.has(r.ringId))) {
    console.log(`\n## flagged, matching no planted ring: ${ring.ringId} (${ring.sellerIds.length} stores, risk ${ring.risk})`);
    for (const id of ring.sellerIds) {
      const from = origin.get(id);
      const planted = from === undefined ? undefined : byId.get(from);
      console.log(`  ${id}: ${from ?? 'honest store of its own'}${planted ? ` (${planted.seller_ids.length} stores, ${planted.seller_ids.filter((s) => ringOf.get(s)?.ringId === ring.ringId).length} here)` : ''}`);
    }
    printLinks(ring.sellerIds);
    const sources = [...new Set(ring.sellerIds.map((id) => byId.get(origin.get(id) ?? '')).filter((r): r is TruthRing => r !== undefined))];
    if (sources.length > 0) await describe(`the planted rings ${ring.ringId}'s stores come from`, sources);
  }
  await session.close();
} finally {
  await db.close();
  await stopLocalNeo4j(join(work, 'neo4j'));
  rmSync(work, { recursive: true, force: true });
}
