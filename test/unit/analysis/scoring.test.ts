import { describe, expect, it } from 'vitest';
import {
  SCORING_DEFAULTS,
  scoreRing,
  type RingFacts,
  type RingListingFacts,
  type RingMemberFacts,
  type RingScore,
} from '../../../src/analysis/scoring.ts';
import { RingwatchError } from '../../../src/errors.ts';

const sumOf = (score: RingScore) => score.factors.reduce((sum, f) => sum + f.contribution, 0);
const factor = (score: RingScore, name: string) => score.factors.find((f) => f.name === name)!;
const round1 = (x: number) => Math.round(x * 10) / 10;

function members(count: number, registeredAt: (i: number) => string, extra: Partial<RingMemberFacts> = {}): RingMemberFacts[] {
  return Array.from({ length: count }, (_, i) => ({ sellerId: `s${i}`, registeredAt: registeredAt(i), ...extra }));
}

function listings(count: number, price: (i: number) => number, extra: Partial<RingListingFacts> = {}): RingListingFacts[] {
  return Array.from({ length: count }, (_, i) => ({
    listingId: `l${i}`,
    sellerId: `s${i % 5}`,
    brand: 'Acme',
    category: 'handbags',
    price: price(i),
    currency: 'EUR',
    referencePrice: 400,
    ...extra,
  }));
}

describe('scoreRing', () => {
  const counterfeitRing: RingFacts = {
    // Eight stores opened within ten days, most listings at a fifth of the brand's price.
    members: members(8, (i) => `2024-03-0${1 + (i % 9)}T10:00:00Z`),
    listings: listings(20, (i) => (i < 16 ? 79 : 390)),
    sharedIdentifiers: [
      { kind: 'paymentAccount', key: 'acct-1', sellerCount: 5, sellerIds: ['s0', 's1', 's2', 's3', 's4'] },
      { kind: 'paymentAccount', key: 'acct-2', sellerCount: 3, sellerIds: ['s5', 's6', 's7'] },
      { kind: 'phone', key: '+8613800000000', sellerCount: 8 },
    ],
  };

  it('flags a counterfeit ring, with factors that add up to the score and price as the largest', () => {
    const score = scoreRing(counterfeitRing);
    expect(score.flagged).toBe(true);
    expect(score.threshold).toBe(SCORING_DEFAULTS.threshold);
    // 50 (prices) + 12 (payment accounts cover all 8) + 8 (all 8 within 14 days) + 3 (size 8: 6/8 of 4).
    expect(score.riskScore).toBe(73);
    expect(sumOf(score)).toBeCloseTo(score.riskScore, 9);
    const price = factor(score, 'price_below_reference');
    expect(price.contribution).toBe(50);
    expect(price.detail).toBe('16 of 20 listings with a reference price (80%) are priced below 50% of it; the median listing sells at 20% of its reference.');
    for (const f of score.factors) expect(price.contribution).toBeGreaterThanOrEqual(f.contribution);
    expect(factor(score, 'shared_payment_accounts')).toMatchObject({ contribution: 12, detail: '2 payment accounts are shared between members, covering 8 of 8 members.' });
    expect(factor(score, 'registration_burst').detail).toBe('8 of 8 members registered within 14 days (2024-03-01 to 2024-03-08).');
    expect(score.factors.map((f) => f.name)).toEqual([
      'price_below_reference',
      'brand_verdicts',
      'shared_payment_accounts',
      'registration_burst',
      'prior_closures',
      'ring_size',
    ]);
  });

  it('does not flag an honest multi-store owner: everything shared, normal prices, stores opened over years', () => {
    const honest: RingFacts = {
      members: members(4, (i) => `${2016 + 2 * i}-05-01`),
      listings: listings(40, (i) => 360 + (i % 7) * 10),
      sharedIdentifiers: [
        { kind: 'paymentAccount', key: 'acct', sellerCount: 4, sellerIds: ['s0', 's1', 's2', 's3'] },
        { kind: 'phone', key: '+4930000000', sellerCount: 4 },
        { kind: 'address', key: 'warehouse', sellerCount: 4 },
      ],
    };
    const score = scoreRing(honest);
    expect(score.flagged).toBe(false);
    expect(factor(score, 'price_below_reference').contribution).toBe(0);
    expect(sumOf(score)).toBeCloseTo(score.riskScore, 9);
  });

  it('cannot reach the threshold on shared identifiers, bursts, closures and size alone', () => {
    const linkedOnly: RingFacts = {
      members: members(30, () => '2024-01-01', { closedBefore: true }),
      listings: listings(50, () => 400),
      sharedIdentifiers: [{ kind: 'paymentAccount', key: 'acct', sellerCount: 30 }],
    };
    const score = scoreRing(linkedOnly);
    expect(score.riskScore).toBe(30);
    expect(score.flagged).toBe(false);
  });

  it('lowers the score for genuine verdicts and raises it for counterfeit ones, never below 0', () => {
    const base: RingFacts = { members: members(3, () => '2020-01-01'), listings: listings(4, () => 100), sharedIdentifiers: [] };
    const confirmed = scoreRing({ ...base, listings: base.listings.map((l) => ({ ...l, verdict: 'counterfeit' as const })) });
    const denied = scoreRing({ ...base, listings: base.listings.map((l) => ({ ...l, verdict: 'genuine' as const })) });
    const plain = scoreRing(base);
    expect(factor(confirmed, 'brand_verdicts').contribution).toBe(20);
    expect(confirmed.riskScore).toBe(plain.riskScore + 20);
    expect(confirmed.flagged).toBe(true);
    expect(denied.riskScore).toBe(Math.max(0, plain.riskScore - 20));
    expect(factor(denied, 'brand_verdicts').detail).toMatch(/^Brands confirmed 0 listings as counterfeit and 4 as genuine\./);
    expect(sumOf(denied)).toBeCloseTo(denied.riskScore, 9);

    const allGenuine = scoreRing({ members: members(2, () => '2020-01-01'), listings: listings(3, () => 400, { verdict: 'genuine' }), sharedIdentifiers: [] });
    expect(allGenuine.riskScore).toBe(0);
    expect(sumOf(allGenuine)).toBe(0);
  });

  describe('a brand confirmation in a ring of linked stores', () => {
    // Five stores selling near retail (70% of the typical price): the price factor stays quiet.
    // s0–s2 share a payment account and s2–s4 a phone; a brand confirms one listing of s0.
    const superFakes: RingFacts = {
      members: members(5, (i) => `202${i}-01-01`),
      listings: listings(10, () => 280),
      sharedIdentifiers: [
        { kind: 'paymentAccount', key: 'acct', sellerCount: 3, sellerIds: ['s0', 's1', 's2'] },
        { kind: 'phone', key: 'phone', sellerCount: 3, sellerIds: ['s2', 's3', 's4'] },
      ],
    };
    const confirmOne = (facts: RingFacts, extra: Partial<RingListingFacts> = {}): RingFacts => ({
      ...facts,
      listings: facts.listings.map((l) => (l.listingId === 'l5' ? { ...l, verdict: 'counterfeit' as const, ...extra } : l)),
    });

    it('is not flagged on its links and prices alone', () => {
      const score = scoreRing(superFakes);
      expect(factor(score, 'price_below_reference').contribution).toBe(0);
      expect(score.flagged).toBe(false);
    });

    it('is flagged by one counterfeit verdict, and the factor says who confirmed what and how the stores are tied', () => {
      const score = scoreRing(confirmOne(superFakes));
      expect(score.flagged).toBe(true);
      expect(score.riskScore).toBe(SCORING_DEFAULTS.threshold);
      expect(sumOf(score)).toBeCloseTo(score.riskScore, 9);
      const verdicts = factor(score, 'brand_verdicts');
      // The lift: the other factors (7.2 payment accounts + 3 size) and the verdict's own 10 fall short of 55.
      expect(verdicts.contribution).toBe(round1(55 - 7.2 - 1.5));
      expect(verdicts.detail).toBe(
        'Brands confirmed 1 listing as counterfeit and 0 as genuine. Acme confirmed listing l5 of store s0 as counterfeit; ' +
          '2 of the other 4 stores share 1 payment account with it, the other 2 are tied to it through other members. ' +
          'A confirmed counterfeit in a ring of linked stores flags the ring: this factor lifts the score to the threshold (55).',
      );
    });

    it('is not lifted when genuine verdicts are as many', () => {
      const facts = confirmOne(superFakes);
      const mixed = { ...facts, listings: facts.listings.map((l) => (l.listingId === 'l6' ? { ...l, verdict: 'genuine' as const } : l)) };
      const score = scoreRing(mixed);
      expect(factor(score, 'brand_verdicts').contribution).toBe(0);
      expect(score.flagged).toBe(false);
    });

    it('counts listings that share a confirmed counterfeit\'s photo at half a verdict, without the lift', () => {
      const photos = { ...superFakes, listings: superFakes.listings.map((l, i) => (i < 2 ? { ...l, photoOfConfirmed: 'elsewhere-1' } : l)) };
      const score = scoreRing(photos);
      // Evidence 2 × 0.5 = 1 net verdict of the 2 for full: 10 points.
      expect(factor(score, 'brand_verdicts').contribution).toBe(10);
      expect(factor(score, 'brand_verdicts').detail).toMatch(/2 other listings use the photo of a confirmed counterfeit \(counted 0.5 each\)\.$/);
      expect(score.flagged).toBe(false);
    });
  });

  it('counts the price factor only partly when few listings have a reference price', () => {
    const score = scoreRing({ members: members(2, () => '2020-01-01'), listings: listings(1, () => 50), sharedIdentifiers: [] });
    expect(factor(score, 'price_below_reference').contribution).toBeCloseTo(50 / 3, 1);
    expect(factor(score, 'price_below_reference').detail).toMatch(/Counted at 33%/);
  });

  it('counts a pair opened within the window as its burst, and flags such a pair selling every listing at a fifth of the price', () => {
    // Two stores of a three-store ring whose third the loose-ties rule left out: cheap goods,
    // an address and a carrier account between them, no payment account, opened a week apart.
    const pair: RingFacts = {
      members: members(2, (i) => `2024-03-0${1 + 7 * i}`),
      listings: listings(6, () => 80),
      sharedIdentifiers: [{ kind: 'address', key: 'unit 4', sellerCount: 2 }],
    };
    const score = scoreRing(pair);
    expect(factor(score, 'registration_burst')).toMatchObject({ contribution: 8, detail: '2 of 2 members registered within 14 days (2024-03-01 to 2024-03-08).' });
    expect(score.riskScore).toBe(58);
    expect(score.flagged).toBe(true);

    const apart = scoreRing({ ...pair, members: [{ sellerId: 's0', registeredAt: '2024-03-01' }, { sellerId: 's1', registeredAt: '2024-04-01' }] });
    expect(factor(apart, 'registration_burst')).toMatchObject({ contribution: 0, detail: 'The 2 members did not register within 14 days of each other.' });
    expect(apart.flagged).toBe(false);
    const alone = scoreRing({ ...pair, members: [{ sellerId: 's0', registeredAt: '2024-03-01' }] });
    expect(factor(alone, 'registration_burst').contribution).toBe(0);
    // Three stores still need three within the window: two of three are not a burst.
    const trio = scoreRing({ ...pair, members: members(3, (i) => (i < 2 ? '2024-03-01' : '2024-06-01')) });
    expect(factor(trio, 'registration_burst')).toMatchObject({ contribution: 0, detail: 'No 3 members registered within 14 days of each other.' });
  });

  it('explains factors that contribute nothing', () => {
    const score = scoreRing({ members: [{ sellerId: 'a' }, { sellerId: 'b' }], listings: [], sharedIdentifiers: [] });
    expect(score.riskScore).toBe(0);
    expect(factor(score, 'price_below_reference').detail).toBe('No listing has a reference price to compare with (0 listings in total).');
    expect(factor(score, 'registration_burst').detail).toBe('Registration dates are known for 0 members, too few to see a burst.');
    expect(factor(score, 'shared_payment_accounts').detail).toBe('No payment account is shared between members.');
  });

  it('refuses options under which linked-only rings could be flagged, and rings without members', () => {
    expect(() => scoreRing({ members: [{ sellerId: 'a' }], listings: [], sharedIdentifiers: [] }, { threshold: 25 })).toThrow(/honest multi-store owners/);
    expect(() => scoreRing({ members: [{ sellerId: 'a' }], listings: [], sharedIdentifiers: [] }, { weights: { ringSize: 50 } })).toThrow(RingwatchError);
    expect(() => scoreRing({ members: [], listings: [], sharedIdentifiers: [] })).toThrow(/at least one member/);
  });
});
