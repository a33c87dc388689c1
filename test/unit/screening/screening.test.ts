import { describe, expect, it } from 'vitest';
import { normaliseAccountId } from '../../../src/ingest/normalise/account.ts';
import { addressKey } from '../../../src/ingest/normalise/address.ts';
import { phoneKey } from '../../../src/ingest/normalise/identifierKeys.ts';
import { toGraphRow } from '../../../src/ingest/graphRows.ts';
import { decideScreening, hasMatchableIdentifier, screeningKeys, type LookupRow } from '../../../src/screening/screening.ts';

const row = (over: Partial<LookupRow>): LookupRow => ({ labels: ['PaymentAccount'], sellerId: 'S1', storeClosed: false, ringId: 'R-AAAAAAAA', ringStatus: 'open', riskScore: 50, flagged: false, ...over });

describe('screeningKeys: the keys ingest makes of the same text', () => {
  it('keys every kind with the functions ingest keys its rows with', () => {
    const { keys, faults } = screeningKeys({
      country: 'cn',
      paymentAccounts: ['6222 0200-1234 5678', '6222020012345678'],
      phones: ['0086 138-0013-8000', '138 0013 8000'],
      addresses: [{ line1: 'Room 1203, Floor 12, Block B, 88 Nathan Road', city: 'hong kong', country: 'hk' }],
      carrierAccounts: [{ carrier: ' sf ', account: 'sf-0099 1234' }],
    });
    expect(faults).toEqual([]);
    // Repeats meet in one key.
    expect(keys.paymentAccount).toEqual([normaliseAccountId('6222 0200-1234 5678')]);
    expect(keys.phone).toEqual(['+8613800138000']);
    expect(keys.address).toEqual([addressKey({ line1: 'Rm 1203, 12/F, Blk B', line2: '88 Nathan Rd', city: 'Hong Kong', country: 'HK' })]);
    // The same key as ingest's row for a shipping link with that carrier and account.
    const ingested = toGraphRow('shipping_links', { seller_id: 'S1', shipment_id: 'SH1', carrier: 'SF', carrier_account: 'SF00991234' }, () => 'CN');
    expect(keys.carrierAccount).toEqual([ingested.carrierAccountKey]);
  });

  it('reads a phone without a country code in the applicant\'s country, as ingest reads it in the seller\'s', () => {
    expect(screeningKeys({ phones: ['020 7946 0958'], country: 'GB' }).keys.phone).toEqual([phoneKey('020 7946 0958', 'GB').phoneKey]);
    expect(screeningKeys({ phones: ['020 7946 0958'] }).keys.phone).toEqual(['digits:02079460958']);
  });

  it('names the entries ingest could make no node of by their place, never their value', () => {
    const { faults } = screeningKeys({ paymentAccounts: ['ok-1', '--- ...'], phones: ['12 34', 'call me'], carrierAccounts: [{ carrier: 'SF', account: '//' }] });
    expect(faults).toEqual([
      { path: ['paymentAccounts', 1], message: 'must contain letters or digits' },
      { path: ['phones', 0], message: expect.stringMatching(/not a phone number/) },
      { path: ['phones', 1], message: expect.stringMatching(/not a phone number/) },
      { path: ['carrierAccounts', 0, 'account'], message: 'must contain letters or digits' },
    ]);
    expect(JSON.stringify(faults)).not.toMatch(/12 34|call me|---/);
  });

  it('counts email as nothing to match', () => {
    expect(hasMatchableIdentifier({ email: 'a@b.example' })).toBe(false);
    expect(hasMatchableIdentifier({ phones: [], paymentAccounts: [] })).toBe(false);
    expect(hasMatchableIdentifier({ addresses: [{ line1: '1 Road', city: 'X', country: 'CN' }] })).toBe(true);
  });
});

describe('decideScreening', () => {
  it('allows when nothing matches', () => {
    expect(decideScreening([])).toEqual({ decision: 'allow', matches: [] });
  });

  it('blocks on a closed ring, and on a closed store of an open ring', () => {
    expect(decideScreening([row({ ringStatus: 'closed', flagged: true })]).decision).toBe('block');
    const storeClosed = decideScreening([row({ sellerId: 'S1' }), row({ sellerId: 'S2', storeClosed: true })]);
    expect(storeClosed.decision).toBe('block');
    expect(storeClosed.matches[0]).toMatchObject({ ringId: 'R-AAAAAAAA', status: 'open', decision: 'block' });
  });

  it('reviews a flagged open or referred ring, allows an unflagged one', () => {
    expect(decideScreening([row({ flagged: true })]).decision).toBe('review');
    expect(decideScreening([row({ flagged: true, ringStatus: 'referred' })]).decision).toBe('review');
    const honest = decideScreening([row({ flagged: false, riskScore: 12 })]);
    expect(honest.decision).toBe('allow');
    expect(honest.matches).toEqual([{ ringId: 'R-AAAAAAAA', status: 'open', riskScore: 12, flagged: false, decision: 'allow', matchedOn: [{ kind: 'paymentAccount', sellerIds: ['S1'] }] }]);
  });

  it('blocks on a closed store in no ring, and ignores an open one', () => {
    expect(decideScreening([row({ ringId: null, riskScore: null })])).toEqual({ decision: 'allow', matches: [] });
    const closed = decideScreening([row({ ringId: null, riskScore: null, storeClosed: true, labels: ['Phone'] }), row({ ringId: null, sellerId: 'S9', riskScore: null })]);
    expect(closed).toEqual({ decision: 'block', matches: [{ ringId: null, status: 'closed', riskScore: null, flagged: false, decision: 'block', matchedOn: [{ kind: 'phone', sellerIds: ['S1'] }] }] });
  });

  it('takes the gravest match, lists matches gravest first, and groups stores per kind', () => {
    const outcome = decideScreening([
      row({ ringId: 'R-BBBBBBBB', flagged: false, riskScore: 90 }),
      row({ ringId: 'R-CCCCCCCC', flagged: true, riskScore: 70, labels: ['Phone'], sellerId: 'S3' }),
      row({ ringId: 'R-CCCCCCCC', flagged: true, riskScore: 70, labels: ['Address'], sellerId: 'S4' }),
      row({ ringId: 'R-CCCCCCCC', flagged: true, riskScore: 70, labels: ['Phone'], sellerId: 'S2' }),
      row({ ringId: 'R-CCCCCCCC', flagged: true, riskScore: 70, labels: ['PaymentAccount'], sellerId: 'S2' }),
    ]);
    expect(outcome.decision).toBe('review');
    expect(outcome.matches.map((m) => m.ringId)).toEqual(['R-CCCCCCCC', 'R-BBBBBBBB']);
    expect(outcome.matches[0]?.matchedOn).toEqual([
      { kind: 'paymentAccount', sellerIds: ['S2'] },
      { kind: 'phone', sellerIds: ['S2', 'S3'] },
      { kind: 'address', sellerIds: ['S4'] },
    ]);
  });
});
