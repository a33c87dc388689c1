import { describe, expect, it } from 'vitest';
import { KIND_BITS, kindsFromMask, type IdentifierKind } from '../../../src/vocabulary.ts';
import { PROJECTION_DEFAULTS, SellerGraphBuilder, projectSellerGraph, type IdentifierGroup } from '../../../src/analysis/projection.ts';
import { RingwatchError } from '../../../src/errors.ts';
import { sellerGraphOf, type SellerGraph } from '../../support/sellerGraph.ts';

const group = (kind: IdentifierKind, key: string, ...sellerIds: string[]): IdentifierGroup => ({ kind, key, sellerIds });
const edgeWeight = (graph: SellerGraph, a: string, b: string) =>
  graph.getEdgeAttribute(graph.edge(a, b)!, 'weight');

describe('projectSellerGraph', () => {
  it('links two sellers sharing a payment account with the kind weight, down-weighted by 1/log2(1 + 2)', () => {
    const p = projectSellerGraph([group('paymentAccount', 'acct-1', 'a', 'b')]);
    expect(sellerGraphOf(p).order).toBe(2);
    expect(sellerGraphOf(p).size).toBe(1);
    expect(edgeWeight(sellerGraphOf(p), 'a', 'b')).toBeCloseTo(1 / Math.log2(3), 12);
    expect(kindsFromMask(sellerGraphOf(p).getEdgeAttribute(sellerGraphOf(p).edge('a', 'b')!, 'kinds'))).toEqual(['paymentAccount']);
  });

  it('sums the weights of every identifier a pair shares and records each kind', () => {
    const p = projectSellerGraph([group('paymentAccount', 'acct', 'a', 'b'), group('phone', '+8613800000000', 'a', 'b', 'c')]);
    const w = PROJECTION_DEFAULTS.kindWeights;
    expect(edgeWeight(sellerGraphOf(p), 'a', 'b')).toBeCloseTo(w.paymentAccount / Math.log2(3) + w.phone / Math.log2(4), 12);
    expect(edgeWeight(sellerGraphOf(p), 'a', 'c')).toBeCloseTo(w.phone / Math.log2(4), 12);
    const mask = sellerGraphOf(p).getEdgeAttribute(sellerGraphOf(p).edge('a', 'b')!, 'kinds');
    expect(mask).toBe(KIND_BITS.paymentAccount | KIND_BITS.phone);
    expect(kindsFromMask(mask)).toEqual(['paymentAccount', 'phone']);
  });

  it('weighs kinds in the documented order: payment > phone ≈ carrier > address > origin > image', () => {
    const w = PROJECTION_DEFAULTS.kindWeights;
    expect(w.paymentAccount).toBeGreaterThan(w.phone);
    expect(w.phone).toBe(w.carrierAccount);
    expect(w.carrierAccount).toBeGreaterThan(w.address);
    expect(w.address).toBeGreaterThan(w.origin);
    expect(w.origin).toBeGreaterThan(w.imageHash);
  });

  it('reports an identifier shared by more than hubLimit sellers as a hub instead of linking them', () => {
    const many = Array.from({ length: 120 }, (_, i) => `s${String(i).padStart(3, '0')}`);
    const p = projectSellerGraph([group('origin', 'fulfilment-centre', ...many), group('paymentAccount', 'acct', 's000', 's001')]);
    expect(sellerGraphOf(p).order).toBe(120);
    expect(sellerGraphOf(p).size).toBe(1);
    expect(p.hubs).toHaveLength(1);
    expect(p.hubs[0]).toMatchObject({ kind: 'origin', key: 'fulfilment-centre', sellerCount: 120 });
    expect(p.hubs[0]!.nodeIndices).toBeInstanceOf(Int32Array);
    expect(p.hubSellerIds(p.hubs[0]!)).toEqual(many);
    expect(p.stats).toMatchObject({ hubs: 1, hubLinks: 120, edges: 1, isolatedSellers: 118 });
  });

  it('expands a group of exactly hubLimit sellers and treats one more as a hub', () => {
    const atLimit = projectSellerGraph([group('address', 'x', 'a', 'b', 'c', 'd')], { hubLimit: 4 });
    expect(sellerGraphOf(atLimit).size).toBe(6);
    expect(atLimit.hubs).toHaveLength(0);
    const over = projectSellerGraph([group('address', 'x', 'a', 'b', 'c', 'd', 'e')], { hubLimit: 4 });
    expect(sellerGraphOf(over).size).toBe(0);
    expect(over.hubs).toHaveLength(1);
  });

  it('weighs a group given in part (an incremental region) by its size in the whole market, and makes it a hub by that size', () => {
    const whole = projectSellerGraph([group('paymentAccount', 'acct', 'a', 'b', 'c', 'd')]);
    const part = projectSellerGraph([{ ...group('paymentAccount', 'acct', 'a', 'b'), sellerCount: 4 }]);
    expect(part.edgeArrays.weight[0]).toBeCloseTo(whole.edgeArrays.weight[0]!, 12);
    expect(part.edgeArrays.weight[0]).toBeCloseTo(PROJECTION_DEFAULTS.kindWeights.paymentAccount / Math.log2(5), 12);
    const hubPart = projectSellerGraph([{ ...group('origin', 'centre', 'a'), sellerCount: 500 }]);
    expect(hubPart.hubs).toMatchObject([{ kind: 'origin', key: 'centre', sellerCount: 500 }]);
    expect(() => projectSellerGraph([{ ...group('phone', '+1', 'a', 'b', 'c'), sellerCount: 2 }])).toThrow(RingwatchError);
  });

  it('keeps sellers of single-seller groups, and sellers added alone, as isolated nodes', () => {
    const builder = new SellerGraphBuilder();
    builder.addSeller('lonely');
    builder.addGroup(group('phone', '+1', 'solo'));
    builder.addGroup(group('phone', '+2', 'a', 'b'));
    const p = builder.finish();
    expect([...sellerGraphOf(p).nodes()].sort()).toEqual(['a', 'b', 'lonely', 'solo']);
    expect(sellerGraphOf(p).size).toBe(1);
    expect(p.stats).toMatchObject({ sellers: 4, isolatedSellers: 2, singletonGroups: 1, pairGroups: 1, groups: 2, links: 3 });
  });

  it('ignores a seller listed twice in one group (e.g. the same address as return and registered address)', () => {
    const p = projectSellerGraph([group('address', 'addr', 'a', 'a', 'b')]);
    expect(sellerGraphOf(p).size).toBe(1);
    expect(edgeWeight(sellerGraphOf(p), 'a', 'b')).toBeCloseTo(PROJECTION_DEFAULTS.kindWeights.address / Math.log2(3), 12);
    expect(p.stats.links).toBe(2);
  });

  it('exposes the same edges as typed arrays and as an iterator, sorted, with graph edge keys as positions', () => {
    const p = projectSellerGraph([group('paymentAccount', 'p', 'c', 'a', 'b'), group('phone', 'ph', 'd', 'a')]);
    const list = [...p.edges()];
    expect(list).toHaveLength(sellerGraphOf(p).size);
    expect(p.edgeArrays.count).toBe(sellerGraphOf(p).size);
    for (let e = 0; e < list.length; e++) {
      const [u, v, w] = list[e]!;
      expect(u).toBeLessThan(v);
      if (e > 0) {
        const [pu, pv] = list[e - 1]!;
        expect(pu < u || (pu === u && pv < v)).toBe(true);
      }
      const key = String(e);
      expect(sellerGraphOf(p).extremities(key).sort()).toEqual([p.sellerIds[u], p.sellerIds[v]].sort());
      expect(sellerGraphOf(p).getEdgeAttribute(key, 'weight')).toBe(w);
      expect(sellerGraphOf(p).getEdgeAttribute(key, 'kinds')).toBe(p.edgeArrays.kinds[e]);
    }
    expect(p.indexOf('a')).toBe(p.sellerIds.indexOf('a'));
    expect(p.indexOf('nobody')).toBeUndefined();
  });

  it('gives the same projection fed page by page as in one call', () => {
    const groups = [
      group('paymentAccount', 'p1', 'a', 'b', 'c'),
      group('phone', 'ph1', 'c', 'd'),
      group('address', 'ad1', 'a', 'd', 'e'),
      group('imageHash', 'img', 'b', 'e'),
    ];
    const once = projectSellerGraph(groups);
    const builder = new SellerGraphBuilder();
    builder.addGroups(groups.slice(0, 2));
    builder.addGroups(groups.slice(2));
    const paged = builder.finish();
    expect([...paged.edges()]).toEqual([...once.edges()]);
    expect(paged.sellerIds).toEqual(once.sellerIds);
  });

  it('can switch a kind off with a zero weight', () => {
    const p = projectSellerGraph([group('imageHash', 'img', 'a', 'b')], { kindWeights: { imageHash: 0 } });
    expect(sellerGraphOf(p).order).toBe(2);
    expect(sellerGraphOf(p).size).toBe(0);
  });

  it('measures accumulation and the edge sort separately', () => {
    const p = projectSellerGraph([group('paymentAccount', 'p', 'a', 'b')]);
    expect(p.timings.accumulateMs).toBeGreaterThanOrEqual(0);
    expect(p.timings.sortEdgesMs).toBeGreaterThanOrEqual(0);
  });

  it('rejects bad input with INPUT_INVALID', () => {
    const builder = new SellerGraphBuilder();
    expect(() => builder.addGroup({ kind: 'email' as IdentifierKind, key: 'x', sellerIds: ['a', 'b'] })).toThrow(RingwatchError);
    expect(() => builder.addGroup(group('phone', 'x', 'a', ''))).toThrow(/non-empty strings/);
    builder.finish();
    expect(() => builder.finish()).toThrow(/already called/);
    expect(() => builder.addSeller('late')).toThrow(RingwatchError);
    expect(() => new SellerGraphBuilder({ hubLimit: 1 })).toThrow(/hubLimit/);
    expect(() => new SellerGraphBuilder({ kindWeights: { phone: -1 } })).toThrow(/kindWeights.phone/);
    try {
      new SellerGraphBuilder({ hubLimit: 0 });
    } catch (error) {
      expect((error as RingwatchError).code).toBe('INPUT_INVALID');
    }
  });
});
