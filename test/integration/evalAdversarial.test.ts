import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PURCHASE_NOTE } from '../../src/actions/testPurchases.ts';
import { evaluateDetection, type Evaluation } from '../../src/analysis/evaluate.ts';
import { HONEST_GROUP_KINDS, RING_KINDS, type MarketTruth } from '../../src/analysis/marketTruth.ts';
import type { Db } from '../../src/graph/db.ts';
import { Neo4jDetectionStore } from '../../src/graph/detectionStore.ts';
import { generateMarket } from '../../src/ingest/generate.ts';
import { ringwatch } from '../support/cli.ts';
import { freshDb } from '../support/db.ts';
import { ingestAndDetect } from '../support/pipeline.ts';

/**
 * The measuring instrument on a generated adversarial market (3,000 stores, 24 rings, four of
 * each kind) through the real pipeline: `ringwatch eval` reports every kind, and
 * `--apply-verdicts` records the truth's test purchases as brand verdicts (audited, once) and
 * re-runs detection. And the detection's answers to the adversary (docs/detection.md, "Loose
 * ties", "The confirmation rule"): camouflaged and chain rings come out whole, a test purchase
 * flags each super-fake ring, no honest franchise, outlet or family is flagged. The full measure,
 * at 20k and 200k stores, is bench/detect/quality.ts.
 */

type AppliedEvaluation = Evaluation & {
  appliedVerdicts: { testPurchases: number; recorded: string[]; skipped: string[]; brands: string[] };
  detection: { runId: string; mode: string; modeReason: string; counts: Record<string, number> };
};

let db: Db;
let root: string;
let truthFile: string;
let truth: MarketTruth;
let purchases: { listing_id: string; brand: string }[];

async function count(query: string, params: Record<string, unknown> = {}): Promise<number> {
  const { records } = await db.driver.executeQuery(query, params, { database: db.database });
  return Number(records[0]!.get('n'));
}

beforeAll(async () => {
  db = await freshDb();
  root = mkdtempSync(join(tmpdir(), 'ringwatch-eval-adversarial-'));
  const dir = join(root, 'market');
  truthFile = join(root, 'truth.json');
  await generateMarket({ outDir: dir, sellers: 3000, rings: 24, seed: 3, truthFile, preset: 'adversarial' });
  truth = JSON.parse(readFileSync(truthFile, 'utf8')) as MarketTruth;
  purchases = truth.rings.flatMap((r) => (r.test_purchase ? [r.test_purchase] : []));
  // The run's clock must not be ahead of the database's: the next incremental run looks for sellers changed since it.
  await ingestAndDetect(db, [{ dir, detectAt: new Date().toISOString() }]);
});

afterAll(async () => {
  await db.close();
  rmSync(root, { recursive: true, force: true });
});

describe('ringwatch eval on an adversarial market', () => {
  it('reports recall per ring kind and honest groups per kind, as evaluateDetection does on the stored rings', async () => {
    const result = await ringwatch(['eval', '--truth', truthFile, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const e = JSON.parse(result.stdout) as Evaluation;
    expect(e.ringKinds.map((k) => k.kind)).toEqual([...RING_KINDS]);
    for (const k of e.ringKinds) {
      expect(k.planted, k.kind).toBe(4);
      expect(k.flagged).toBeLessThanOrEqual(k.planted);
      expect(k.asCommunity).toBeLessThanOrEqual(k.planted);
      expect(k.flaggedRecall).toBeCloseTo(k.flagged / 4, 12);
      expect(k.communityRecall).toBeCloseTo(k.asCommunity / 4, 12);
    }
    expect(e.honestGroupKinds.map((k) => k.kind)).toEqual([...HONEST_GROUP_KINDS]);
    for (const k of e.honestGroupKinds) {
      expect(k.groups, k.kind).toBe(truth.honest_groups.filter((g) => g.kind === k.kind).length);
      expect(k.flagged).toBeLessThanOrEqual(k.touched);
    }
    // The same numbers as evaluating the active rings in the graph in-process.
    const stored = await new Neo4jDetectionStore(db).exportRings(false);
    expect(stored.length).toBeGreaterThan(0);
    const expected = evaluateDetection(stored, truth);
    expect(e.ringKinds).toEqual(expected.ringKinds);
    expect(e.honestGroupKinds).toEqual(expected.honestGroupKinds);

    const text = await ringwatch(['eval', '--truth', truthFile]);
    expect(text.code, text.stderr).toBe(0);
    for (const kind of [...RING_KINDS, ...HONEST_GROUP_KINDS]) expect(text.stderr).toMatch(new RegExp(`^  ${kind} .* of `, 'm'));
  });

  it('--apply-verdicts records counterfeit on every test purchase, audited, then detects again incrementally', async () => {
    expect(purchases).toHaveLength(4);
    const runsBefore = await count('MATCH (d:DetectionRun) RETURN count(d) AS n');
    const result = await ringwatch(['eval', '--truth', truthFile, '--apply-verdicts', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const e = JSON.parse(result.stdout) as AppliedEvaluation;
    expect(e.appliedVerdicts.testPurchases).toBe(4);
    expect([...e.appliedVerdicts.recorded].sort()).toEqual(purchases.map((p) => p.listing_id).sort());
    expect(e.appliedVerdicts.skipped).toEqual([]);
    expect(e.appliedVerdicts.brands).toEqual([...new Set(purchases.map((p) => p.brand))].sort());

    // In the graph: each listing's verdict, one Verdict by the CLI with the test-purchase note, one audit event per brand.
    const { records } = await db.driver.executeQuery(
      'UNWIND $ids AS id MATCH (v:Verdict)-[:ABOUT]->(l:Listing {listingId: id}) RETURN l.listingId AS id, l.verdict AS verdict, v.keyId AS keyId, v.note AS note, v.brand AS brand',
      { ids: purchases.map((p) => p.listing_id) },
      { database: db.database },
    );
    expect(records.map((r) => r.get('id')).sort()).toEqual(purchases.map((p) => p.listing_id).sort());
    for (const r of records) {
      expect(r.get('verdict')).toBe('counterfeit');
      expect(r.get('keyId')).toBe('cli');
      expect(r.get('note')).toBe(TEST_PURCHASE_NOTE);
      expect(r.get('brand')).toBe(purchases.find((p) => p.listing_id === r.get('id'))!.brand);
    }
    expect(await count("MATCH (e:AuditEvent {action: 'brand.verdicts'}) RETURN count(e) AS n")).toBe(e.appliedVerdicts.brands.length);

    // A new detection, incremental because the verdicts marked their sellers changed.
    expect(await count('MATCH (d:DetectionRun) RETURN count(d) AS n')).toBe(runsBefore + 1);
    expect(await count('MATCH (d:DetectionRun {runId: $runId}) RETURN count(d) AS n', { runId: e.detection.runId })).toBe(1);
    expect(e.detection.mode).toBe('incremental');
    // The four stores, and the stores whose listings use the confirmed listings' photos (their rings are re-scored too).
    expect(e.detection.counts.changedSellers).toBeGreaterThanOrEqual(4);
    // The evaluation is of the rings after that run.
    expect(e.ringKinds).toEqual(evaluateDetection(await new Neo4jDetectionStore(db).exportRings(false), truth).ringKinds);
  });

  it('finds camouflaged and chain rings whole, flags every confirmed super-fake ring, and no honest group', async () => {
    const e = evaluateDetection(await new Neo4jDetectionStore(db).exportRings(false), truth);
    const kind = (name: string) => e.ringKinds.find((k) => k.kind === name)!;
    expect(kind('camouflaged').asCommunity).toBe(4);
    expect(kind('chain').asCommunity).toBe(4);
    expect(kind('super_fake').flagged).toBe(4);
    for (const k of e.honestGroupKinds) expect(k.flagged, k.kind).toBe(0);
  });

  it('--apply-verdicts a second time records nothing new and says so', async () => {
    const verdicts = await count('MATCH (v:Verdict) RETURN count(v) AS n');
    const audits = await count('MATCH (e:AuditEvent) RETURN count(e) AS n');
    const result = await ringwatch(['eval', '--truth', truthFile, '--apply-verdicts']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('recorded counterfeit on 0 of 4 test purchases; 4 already had that verdict');
    expect(result.stderr).toMatch(/detection \S+: incremental \(.*\): 0 changed sellers/);
    expect(await count('MATCH (v:Verdict) RETURN count(v) AS n')).toBe(verdicts);
    expect(await count('MATCH (e:AuditEvent) RETURN count(e) AS n')).toBe(audits);
  });

  it('--apply-verdicts refuses the truth of another market and records nothing', async () => {
    const other = join(root, 'other-truth.json');
    const wrong = { ...truth, rings: truth.rings.map((r) => (r.test_purchase ? { ...r, test_purchase: { ...r.test_purchase, listing_id: `X${r.test_purchase.listing_id}` } } : r)) };
    writeFileSync(other, JSON.stringify(wrong));
    const verdicts = await count('MATCH (v:Verdict) RETURN count(v) AS n');
    const result = await ringwatch(['eval', '--truth', other, '--apply-verdicts']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/4 of the truth file's 4 test purchases are not listings of their brand/);
    expect(await count('MATCH (v:Verdict) RETURN count(v) AS n')).toBe(verdicts);
  });
});
