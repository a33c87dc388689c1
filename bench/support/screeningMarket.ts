/**
 * The synthetic market the API and screening benchmarks seed (bench/screening/seed.cypher, 1,000
 * rings a transaction): every ring's stores share an account, a phone, an address and a carrier
 * account, whose keys ringwatch's own normalisers make; each store has an account of its own; 5 %
 * of rings are closed, 30 % flagged; `HUBS` aggregator wallets on `HUB_SELLERS` stores each are
 * hubs. The screening requests name one identifier of each kind, written another way than the key
 * (`0086 138-…`, dashes, `Road` for `Rd`, lower case); one in four names only unknown ones, one in
 * ten adds a hub.
 */
import { readFileSync } from 'node:fs';
import { randomBase32 } from '../../src/canonical.ts';
import { cypher } from '../../src/graph/cypher.ts';
import type { Db } from '../../src/graph/db.ts';
import { normaliseAccountId } from '../../src/ingest/normalise/account.ts';
import { addressKey } from '../../src/ingest/normalise/address.ts';
import { carrierAccountKey, phoneKey } from '../../src/ingest/normalise/identifierKeys.ts';
import { lookupParameters, screeningKeys, type ScreeningRequest } from '../../src/screening/screening.ts';
import { CYPHER_VOCABULARY } from '../../src/vocabulary.ts';

export const HUBS = 20;
export const HUB_SELLERS = 150;

/** A deterministic spread over 0..n-1, one-to-one while n is no multiple of 7919 (the bench need not be random, only varied). */
export const spread = (i: number, n: number) => (i * 7919 + 13) % n;
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Ring i's identifiers as a seller typed them at registration, and as the applicant types them again. */
export function identifiersOf(i: number) {
  const digits = pad(i, 8);
  return {
    account: `6222 ${digits.slice(0, 4)} ${digits.slice(4)} 0000`,
    accountAgain: `6222-${digits}-0000`,
    phone: `+86 138${digits}`,
    phoneAgain: `0086 138-${digits.slice(0, 4)}-${digits.slice(4)}`,
    address: { line1: `Room ${(i % 2000) + 1}, ${Math.floor(i / 2000) + 1} Market Rd`, city: 'Guangzhou', country: 'CN' },
    addressAgain: { line1: `rm ${(i % 2000) + 1} ${Math.floor(i / 2000) + 1} market road`, city: 'guangzhou', country: 'cn' },
    carrier: `SF-${digits}`,
    carrierAgain: `sf ${digits}`,
  };
}

export interface SeededRing {
  ringId: string;
  riskScore: number;
  sellers: string[];
}

/** Seeds `rings` rings of `perRing` stores each and the hubs; answers the rings and the node count. */
export async function seedScreeningMarket(db: Db, rings: number, perRing: number): Promise<{ rings: SeededRing[]; nodes: number }> {
  const rows = Array.from({ length: rings }, (_, i) => {
    const ids = identifiersOf(i);
    return {
      ringId: `R-${randomBase32(8)}`,
      riskScore: Math.round((i * 37) % 1000) / 10,
      flagged: i % 10 < 3,
      status: i % 20 === 0 ? CYPHER_VOCABULARY.ringStatus.closed : CYPHER_VOCABULARY.ringStatus.open,
      accountKey: normaliseAccountId(ids.account),
      phoneKey: phoneKey(ids.phone, 'CN').phoneKey,
      addressKey: addressKey(ids.address),
      carrierKey: carrierAccountKey('SF', ids.carrier),
      sellers: Array.from({ length: perRing }, (_, j) => `S-${i}-${j}`),
    };
  });
  const session = db.driver.session();
  try {
    const seed = readFileSync(new URL('../screening/seed.cypher', import.meta.url), 'utf8');
    for (let start = 0; start < rows.length; start += 1000) {
      await session.executeWrite((tx) => tx.run(seed, { rings: rows.slice(start, start + 1000), vocabulary: CYPHER_VOCABULARY }));
    }
    const hubs = Array.from({ length: HUBS }, (_, h) => ({
      key: normaliseAccountId(`AGGREGATOR-${h}`),
      sellerIds: Array.from({ length: HUB_SELLERS }, (_, k) => {
        const seller = spread(h * HUB_SELLERS + k, rings * perRing);
        return `S-${Math.floor(seller / perRing)}-${seller % perRing}`;
      }),
    }));
    await session.executeWrite((tx) => tx.run(readFileSync(new URL('../screening/hubs.cypher', import.meta.url), 'utf8'), { hubs }));
    const counts = await session.run('MATCH (n) RETURN count(n) AS nodes');
    return { rings: rows.map(({ ringId, riskScore, sellers }) => ({ ringId, riskScore, sellers })), nodes: Number(counts.records[0]?.get('nodes')) };
  } finally {
    await session.close();
  }
}

/** `count` distinct screening requests over a market of `rings` rings, used in turn. */
export function screeningRequests(count: number, rings: number): ScreeningRequest[] {
  return Array.from({ length: count }, (_, i) => {
    const ids = identifiersOf(i % 4 === 3 ? rings + i : spread(i, rings));
    const request: ScreeningRequest = { country: 'CN', paymentAccounts: [ids.accountAgain], phones: [ids.phoneAgain], addresses: [ids.addressAgain], carrierAccounts: [{ carrier: 'sf', account: ids.carrierAgain }] };
    if (i % 10 === 5) request.paymentAccounts = [...(request.paymentAccounts ?? []), `aggregator ${i % HUBS}`];
    return request;
  });
}

/**
 * The screening benches' peer: request i's lookup (cypher/screenings/lookup.cypher) through the
 * driver alone, with its keys made beforehand (no HTTP, auth, validation, normalisation or audit),
 * either as an auto-commit query (`session.run`, one round trip: what the API's reads do) or in a
 * managed read transaction (`executeRead`: BEGIN, the statement, COMMIT).
 */
export function bareLookupOf(db: Db, requests: readonly ScreeningRequest[], mode: 'autoCommit' | 'managed' = 'autoCommit'): (i: number) => Promise<boolean> {
  const statement = cypher('screenings/lookup');
  const params = requests.map((r) => ({ ...lookupParameters(screeningKeys(r).keys), vocabulary: CYPHER_VOCABULARY }));
  return async (i) => {
    const session = db.driver.session({ defaultAccessMode: 'READ' });
    const parameters = params[i % params.length];
    try {
      if (mode === 'autoCommit') await session.run(statement, parameters);
      else await session.executeRead((tx) => tx.run(statement, parameters));
      return true;
    } finally {
      await session.close();
    }
  };
}
