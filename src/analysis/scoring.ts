/**
 * Ring risk score (docs/detection.md, "Scoring"): a 0–100 score made of named factors, each
 * shown with its contribution and a sentence a governance analyst or a brand can read. The
 * contributions add up exactly to the score, so a dossier can show "why 72" line by line.
 *
 * The design rule: *linked* is not *counterfeit*. Honest multi-store owners share everything —
 * payment account, warehouse, phone — so the factors that only say "these stores belong together"
 * (shared payment accounts, registration burst, prior closures, size) are capped together below the
 * flag threshold. Reaching it takes evidence about the goods: prices far below the brand's typical
 * price (the dominant factor) or brand confirmations.
 */
import { RingwatchError } from '../errors.ts';
import { CLOSED_STORE_STATUS, IDENTIFIER_KIND_PHRASES, type FactorName, type IdentifierKind } from '../vocabulary.ts';

export type { FactorName };
import { DAY_MS } from './time.ts';

export interface RingMemberFacts {
  sellerId: string;
  /** ISO 8601. */
  registeredAt?: string;
  /** Marketplace status; 'closed' counts as a prior closure. */
  status?: string;
  /** A store of this seller was closed before this run (a reopened counterfeiter's typical trace). */
  closedBefore?: boolean;
}

export interface RingListingFacts {
  listingId: string;
  sellerId: string;
  brand?: string;
  category?: string;
  price: number;
  currency: string;
  /**
   * Typical price of the item: the marketplace's upper quartile (percentileDisc 0.75, an actual
   * listed price, which cheap fakes cannot drag down until they are three listings in four) of
   * every listing with the same brand key, category (or none) and currency, computed in the
   * database by cypher/detect/reference_prices.cypher; absent for a listing without a brand.
   */
  referencePrice?: number;
  /** A brand's verdict on this listing. */
  verdict?: 'counterfeit' | 'genuine';
  /**
   * Another listing, confirmed counterfeit by its brand, that uses this listing's product photo
   * (one of few listings to use it: see detectionStore's photo query); absent otherwise.
   */
  photoOfConfirmed?: string;
}

export interface SharedIdentifierFacts {
  kind: IdentifierKind;
  key: string;
  /** Members of this ring that share it. */
  sellerCount: number;
  /** Those members, when known: lets the score count members covered exactly. */
  sellerIds?: readonly string[];
}

export interface RingFacts {
  members: readonly RingMemberFacts[];
  listings: readonly RingListingFacts[];
  sharedIdentifiers: readonly SharedIdentifierFacts[];
}

export interface ScoreFactor {
  name: FactorName;
  /** Points added to (or, for genuine verdicts, taken from) the score; one decimal. */
  contribution: number;
  /** One sentence for a human. */
  detail: string;
}

export interface RingScore {
  /** 0–100, one decimal; exactly the sum of the factors' contributions. */
  riskScore: number;
  /** riskScore ≥ threshold. */
  flagged: boolean;
  threshold: number;
  /** Every factor, always in the same order, including those contributing 0. */
  factors: ScoreFactor[];
}

export interface ScoringWeights {
  priceBelowReference: number;
  brandVerdicts: number;
  sharedPaymentAccounts: number;
  registrationBurst: number;
  priorClosures: number;
  ringSize: number;
}

export interface ScoringOptions {
  threshold: number;
  /** Maximum points of each factor (brandVerdicts can also take that many away). Must sum to ≤ 100. */
  weights: ScoringWeights;
  /** A listing is "far below typical" when price < cheapPriceRatio × referencePrice. */
  cheapPriceRatio: number;
  /** Share of priced listings far below typical at which the price factor is full. */
  cheapShareForFull: number;
  /** Listings with a reference price needed for full confidence in the price factor (fewer scale it down). */
  minPricedListings: number;
  /** Net counterfeit verdicts at which the verdict factor is full. */
  verdictsForFull: number;
  /** What one listing that shares a confirmed counterfeit's photo counts for, in verdicts. */
  photoMatchWeight: number;
  /** Registrations within this many days count as one burst. */
  burstWindowDays: number;
  /**
   * Fewest members registered within the window for it to count as a burst; a ring smaller than
   * this (a pair) counts when all its members did.
   */
  burstMinMembers: number;
  /** Share of members with a prior closure at which that factor is full. */
  closedShareForFull: number;
  /** Members at which the size factor is full (2 members give 0). */
  sizeForFull: number;
}

/**
 * Defaults, with the reasons (to be tuned with `ringwatch eval`; the rule below is enforced):
 * - threshold 55 — above everything "linked but not shown to sell fakes" can reach
 *   (sharedPaymentAccounts + registrationBurst + priorClosures + ringSize = 30), and at or below
 *   what a ring selling mostly at throwaway prices reaches with any one corroborating factor: at
 *   60, rings of three stores selling every listing at a quarter of the price and registered within
 *   two days scored 58.5 and went unflagged (eval, 20k sellers, seed 1: 9 such rings).
 * - priceBelowReference 50, the dominant factor: counterfeits sell far below the genuine price —
 *   the one signal that is about the goods rather than the sellers, available for every listing.
 *   Alone it does not flag (outlets and clearance sales exist).
 * - cheapPriceRatio 0.5: genuine goods rarely sell below half the marketplace's typical price (its
 *   upper quartile) for their brand + category; fakes commonly do, and outlets selling genuine goods
 *   at 60–85% of list stay above it. Full at cheapShareForFull 0.5:
 *   rings mix fakes with ordinary stock, and an honest seller rarely has half its branded listings
 *   at half price. minPricedListings 3: one cheap listing is an anecdote.
 * - brandVerdicts ±20, and more: a brand's confirmation is the strongest evidence the system gets.
 *   A counterfeit verdict on a listing of a ring of linked stores flags the ring: the factor lifts
 *   the score to the threshold when the other factors fall short (confirmation rule below). "Super
 *   fakes" sell near retail, so the price factor stays quiet on exactly the rings brands confirm
 *   (adversarial market, 20k stores, seed 1: 0 of 25 super-fake rings flagged after one test
 *   purchase each with a plain ±20, 25 of 25 with the lift; docs/detection.md). Beyond the lift, 20 at 2 net verdicts; genuine verdicts take points away.
 * - photoMatchWeight 0.5: a listing that uses the photo of a confirmed counterfeit (a photo few
 *   listings use) looks like the fake but is not confirmed itself — camouflaged rings copy honest
 *   stores' photos, so a photo match adds evidence and never lifts a ring to the threshold.
 * - sharedPaymentAccounts 12: money flowing to one account across stores is the classic ring trace,
 *   but honest multi-store owners do it too — hence only 12.
 * - registrationBurst 8 (≥ 3 members within 14 days): rings open stores in batches, often right
 *   after closures; a single owner expanding also does, so it is corroboration only. A pair counts
 *   when both stores opened within the window: the loose-ties rule (communities.ts, step 4) leaves
 *   out a ring's store whose only link is one photo or carrier account to one member — by
 *   identifiers alone it is an honest store a camouflaged ring copied from — and the two left are
 *   the ring, selling the same fakes but one corroborating factor short (classic markets: a pair at
 *   50 that, as three stores, scored 58; 20k seed 1 and 200k seed 1, one ring each).
 * - priorClosures 6 (full when half the members had a store closed): closed counterfeiters reopen.
 * - ringSize 4 (full at 10 members): more stores, more reach; weak on its own.
 */
export const SCORING_DEFAULTS: Readonly<ScoringOptions> = Object.freeze({
  threshold: 55,
  weights: Object.freeze({
    priceBelowReference: 50,
    brandVerdicts: 20,
    sharedPaymentAccounts: 12,
    registrationBurst: 8,
    priorClosures: 6,
    ringSize: 4,
  }),
  cheapPriceRatio: 0.5,
  cheapShareForFull: 0.5,
  minPricedListings: 3,
  verdictsForFull: 2,
  photoMatchWeight: 0.5,
  burstWindowDays: 14,
  burstMinMembers: 3,
  closedShareForFull: 0.5,
  sizeForFull: 10,
});

export type ScoringOptionsInput = Partial<Omit<ScoringOptions, 'weights'>> & { weights?: Partial<ScoringWeights> };

/** Validates and completes scoring options; throws INPUT_INVALID when they would break the rules above. */
export function resolveScoringOptions(input: ScoringOptionsInput = {}): ScoringOptions {
  const weights = { ...SCORING_DEFAULTS.weights, ...input.weights };
  const opts: ScoringOptions = { ...SCORING_DEFAULTS, ...input, weights };
  for (const [name, value] of Object.entries(weights)) {
    if (!Number.isFinite(value) || value < 0) {
      throw new RingwatchError('INPUT_INVALID', `scoring: weights.${name} must be a number ≥ 0, got ${value}`);
    }
  }
  const total = Object.values(weights).reduce((a, b) => a + b, 0);
  if (total > 100 + 1e-9) {
    throw new RingwatchError('INPUT_INVALID', `scoring: weights must sum to at most 100, got ${total}`);
  }
  if (!(opts.threshold > 0 && opts.threshold <= 100)) {
    throw new RingwatchError('INPUT_INVALID', `scoring: threshold must be in (0, 100], got ${opts.threshold}`);
  }
  const linkOnly = weights.sharedPaymentAccounts + weights.registrationBurst + weights.priorClosures + weights.ringSize;
  if (linkOnly >= opts.threshold) {
    throw new RingwatchError(
      'INPUT_INVALID',
      `scoring: shared payment accounts, registration burst, prior closures and size together (${linkOnly}) must stay below the threshold (${opts.threshold}), or honest multi-store owners get flagged`,
    );
  }
  const positive: Array<keyof ScoringOptions> = ['cheapPriceRatio', 'cheapShareForFull', 'minPricedListings', 'verdictsForFull', 'photoMatchWeight', 'burstWindowDays', 'burstMinMembers', 'closedShareForFull', 'sizeForFull'];
  for (const key of positive) {
    const value = opts[key] as number;
    if (!Number.isFinite(value) || value <= 0) {
      throw new RingwatchError('INPUT_INVALID', `scoring: ${key} must be a number > 0, got ${value}`);
    }
  }
  if (opts.sizeForFull <= 2) throw new RingwatchError('INPUT_INVALID', 'scoring: sizeForFull must be greater than 2');
  return opts;
}

/** Scores one candidate ring from its facts; pure, deterministic. */
export function scoreRing(facts: RingFacts, options: ScoringOptionsInput = {}): RingScore {
  const opts = resolveScoringOptions(options);
  if (!facts || !Array.isArray(facts.members) || facts.members.length === 0) {
    throw new RingwatchError('INPUT_INVALID', 'scoring: a ring needs at least one member');
  }
  const listings = Array.isArray(facts.listings) ? facts.listings : [];
  const shared = Array.isArray(facts.sharedIdentifiers) ? facts.sharedIdentifiers : [];
  const w = opts.weights;
  const size = facts.members.length;

  const price = priceFactor(listings, opts);
  const payment = paymentFactor(facts.members, shared, w.sharedPaymentAccounts);
  const burst = burstFactor(facts.members, opts);
  const closures = closureFactor(facts.members, opts);
  const sizeFactor: ScoreFactor = {
    name: 'ring_size',
    contribution: round1(w.ringSize * clamp((size - 2) / (opts.sizeForFull - 2), 0, 1)),
    detail: `${size} member store${size === 1 ? '' : 's'}${size >= opts.sizeForFull ? '' : ` (size counts fully from ${opts.sizeForFull})`}.`,
  };
  const others = [price, payment, burst, closures, sizeFactor];
  const positives = round1(others.reduce((sum, f) => sum + f.contribution, 0));
  const verdicts = verdictFactor(facts.members, listings, shared, opts, positives);

  const factors = [price, verdicts, payment, burst, closures, sizeFactor];
  const riskScore = round1(factors.reduce((sum, f) => sum + f.contribution, 0));
  return { riskScore, flagged: riskScore >= opts.threshold, threshold: opts.threshold, factors };
}

function priceFactor(listings: readonly RingListingFacts[], opts: ScoringOptions): ScoreFactor {
  const ratios: number[] = [];
  let cheap = 0;
  for (const listing of listings) {
    const reference = listing.referencePrice;
    if (reference === undefined || !(reference > 0) || !Number.isFinite(listing.price) || listing.price < 0) continue;
    const ratio = listing.price / reference;
    ratios.push(ratio);
    if (ratio < opts.cheapPriceRatio) cheap++;
  }
  const name = 'price_below_reference';
  const threshold = `${Math.round(opts.cheapPriceRatio * 100)}%`;
  if (ratios.length === 0) {
    return { name, contribution: 0, detail: `No listing has a reference price to compare with (${listings.length} listing${listings.length === 1 ? '' : 's'} in total).` };
  }
  const share = cheap / ratios.length;
  const confidence = Math.min(1, ratios.length / opts.minPricedListings);
  const contribution = round1(opts.weights.priceBelowReference * Math.min(1, share / opts.cheapShareForFull) * confidence);
  const medianRatio = median(ratios);
  let detail = `${cheap} of ${ratios.length} listings with a reference price (${percent(share)}) are priced below ${threshold} of it; the median listing sells at ${percent(medianRatio)} of its reference.`;
  if (confidence < 1) detail += ` Counted at ${percent(confidence)} because fewer than ${opts.minPricedListings} listings have a reference price.`;
  return { name, contribution, detail };
}

/**
 * Brand verdicts, and the confirmation rule: when the ring's counterfeit verdicts outnumber its
 * genuine ones, the factor contributes at least what brings the score to the threshold, and says
 * which brand confirmed which listing and how the other stores are tied to that listing's store.
 * Listings that share a confirmed counterfeit's photo count photoMatchWeight each, without the lift.
 */
function verdictFactor(
  members: readonly RingMemberFacts[],
  listings: readonly RingListingFacts[],
  shared: readonly SharedIdentifierFacts[],
  opts: ScoringOptions,
  positives: number,
): ScoreFactor {
  const confirmed: RingListingFacts[] = [];
  let genuine = 0;
  let photoMatches = 0;
  for (const listing of listings) {
    if (listing.verdict === 'counterfeit') confirmed.push(listing);
    else if (listing.verdict === 'genuine') genuine++;
    else if (listing.photoOfConfirmed !== undefined) photoMatches++;
  }
  const counterfeit = confirmed.length;
  const name = 'brand_verdicts';
  if (counterfeit + genuine + photoMatches === 0) return { name, contribution: 0, detail: 'No brand has given a verdict on these listings yet.' };
  const evidence = counterfeit + opts.photoMatchWeight * photoMatches;
  const net = (evidence - genuine) / Math.max(evidence + genuine, opts.verdictsForFull);
  let contribution = round1(opts.weights.brandVerdicts * clamp(net, -1, 1));
  let detail = `Brands confirmed ${counterfeit} listing${counterfeit === 1 ? '' : 's'} as counterfeit and ${genuine} as genuine.`;
  if (photoMatches > 0) {
    detail += ` ${photoMatches} other listing${photoMatches === 1 ? ' uses' : 's use'} the photo of a confirmed counterfeit (counted ${opts.photoMatchWeight} each).`;
  }
  if (counterfeit > genuine && members.length >= 2) {
    detail += ` ${confirmationSentence(confirmed, members, shared)}`;
    if (positives + contribution < opts.threshold) {
      contribution = round1(opts.threshold - positives);
      detail += ` A confirmed counterfeit in a ring of linked stores flags the ring: this factor lifts the score to the threshold (${opts.threshold}).`;
    }
  }
  if (contribution < -positives) {
    contribution = -positives;
    detail += ' The deduction is limited to the other factors so the score does not go below 0.';
  }
  return { name, contribution: round1(contribution), detail };
}

/**
 * "Gucci confirmed listing L-7 (store S-3) as counterfeit; 4 of the other 5 stores share a payment
 * account or phone with S-3, the rest are tied to it through other members." Identifiers are named
 * by kind only: a brand reads this sentence in its masked dossier.
 */
function confirmationSentence(confirmed: readonly RingListingFacts[], members: readonly RingMemberFacts[], shared: readonly SharedIdentifierFacts[]): string {
  const first = [...confirmed].sort((a, b) => (a.listingId < b.listingId ? -1 : a.listingId > b.listingId ? 1 : 0))[0]!;
  const store = first.sellerId;
  const more = confirmed.length > 1 ? ` (and ${confirmed.length - 1} more listing${confirmed.length === 2 ? '' : 's'})` : '';
  const head = `${first.brand ?? 'A brand'} confirmed listing ${first.listingId} of store ${store}${more} as counterfeit`;
  const others = members.length - 1;
  const direct = new Set<string>();
  const kinds = new Map<IdentifierKind, number>();
  for (const identifier of shared) {
    if (!identifier.sellerIds?.includes(store)) continue;
    kinds.set(identifier.kind, (kinds.get(identifier.kind) ?? 0) + 1);
    for (const id of identifier.sellerIds) if (id !== store) direct.add(id);
  }
  if (direct.size === 0) return `${head}; the other ${others} store${others === 1 ? ' is' : 's are'} tied to it through other members.`;
  const through = [...kinds].map(([kind, n]) => `${n} ${IDENTIFIER_KIND_PHRASES[kind]}${n === 1 ? '' : 's'}`).join(', ');
  const rest = others - direct.size;
  return `${head}; ${direct.size} of the other ${others} store${others === 1 ? '' : 's'} share ${through} with it${rest > 0 ? `, the other ${rest} are tied to it through other members` : ''}.`;
}


function paymentFactor(members: readonly RingMemberFacts[], shared: readonly SharedIdentifierFacts[], weight: number): ScoreFactor {
  const name = 'shared_payment_accounts';
  const accounts = shared.filter((s) => s.kind === 'paymentAccount' && s.sellerCount >= 2);
  if (accounts.length === 0) return { name, contribution: 0, detail: 'No payment account is shared between members.' };
  const size = members.length;
  let covered: number;
  let exact = true;
  if (accounts.every((a) => Array.isArray(a.sellerIds))) {
    const memberIds = new Set(members.map((m) => m.sellerId));
    const union = new Set<string>();
    for (const account of accounts) for (const id of account.sellerIds!) if (memberIds.has(id)) union.add(id);
    covered = union.size;
  } else {
    // Without the ids, the sum of counts is an upper bound on members covered.
    covered = Math.min(size, accounts.reduce((sum, a) => sum + a.sellerCount, 0));
    exact = false;
  }
  const contribution = round1(weight * clamp(covered / size, 0, 1));
  const n = accounts.length;
  return {
    name,
    contribution,
    detail: `${n} payment account${n === 1 ? ' is' : 's are'} shared between members, covering ${exact ? '' : 'up to '}${covered} of ${size} members.`,
  };
}

function burstFactor(members: readonly RingMemberFacts[], opts: ScoringOptions): ScoreFactor {
  const name = 'registration_burst';
  const times = members
    .map((m) => (m.registeredAt ? Date.parse(m.registeredAt) : Number.NaN))
    .filter((t) => Number.isFinite(t))
    .sort((a, b) => a - b);
  const window = opts.burstWindowDays * DAY_MS;
  let best = 0;
  let bestStart = 0;
  for (let lo = 0, hi = 0; hi < times.length; hi++) {
    while (times[hi]! - times[lo]! > window) lo++;
    if (hi - lo + 1 > best) {
      best = hi - lo + 1;
      bestStart = lo;
    }
  }
  const size = members.length;
  // A ring smaller than burstMinMembers (a pair) bursts when all of it registered together; one store never does.
  const needed = Math.min(opts.burstMinMembers, Math.max(2, size));
  if (best < needed) {
    const known = times.length;
    return {
      name,
      contribution: 0,
      detail:
        known < needed
          ? `Registration dates are known for ${known} member${known === 1 ? '' : 's'}, too few to see a burst.`
          : needed < opts.burstMinMembers
            ? `The ${size} members did not register within ${opts.burstWindowDays} days of each other.`
            : `No ${needed} members registered within ${opts.burstWindowDays} days of each other.`,
    };
  }
  const from = isoDate(times[bestStart]!);
  const to = isoDate(times[bestStart + best - 1]!);
  return {
    name,
    contribution: round1(opts.weights.registrationBurst * (best / size)),
    detail: `${best} of ${size} members registered within ${opts.burstWindowDays} days (${from} to ${to}).`,
  };
}

function closureFactor(members: readonly RingMemberFacts[], opts: ScoringOptions): ScoreFactor {
  const name = 'prior_closures';
  const closed = members.filter((m) => m.closedBefore === true || m.status === CLOSED_STORE_STATUS).length;
  if (closed === 0) return { name, contribution: 0, detail: 'No member has had a store closed before.' };
  const share = closed / members.length;
  return {
    name,
    contribution: round1(opts.weights.priorClosures * Math.min(1, share / opts.closedShareForFull)),
    detail: `${closed} of ${members.length} members (${percent(share)}) had a store closed before.`,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

function round1(x: number): number {
  const r = Math.round(x * 10) / 10;
  return r === 0 ? 0 : r; // no -0 in JSON or in test output
}

function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
