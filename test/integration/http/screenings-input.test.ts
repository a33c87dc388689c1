import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphFingerprint } from '../../support/db.ts';
import { call, problemOf } from './harness.ts';
import { IDS, startScreeningWorld, type ScreeningWorld } from './screeningMarket.ts';

/**
 * What POST /v1/screenings refuses: every refusal is a 4xx problem+json naming the failing
 * fields by their place, never echoing what was sent, and writes nothing at all (a refused body
 * is not screened, so it leaves no audit event either).
 */

const address = { line1: 'Room 101, 8 Market Rd', city: 'Guangzhou', country: 'CN' };
const many = (n: number, make: (i: number) => unknown) => Array.from({ length: n }, (_, i) => make(i));

/** [what, body (a string is sent as is), content type, status, problem slug, a failing field it names]. */
const CASES: [string, unknown, string | null, number, string, string | null][] = [
  ['no body and no content type', undefined, null, 422, 'validation-failed', 'body'],
  ['an empty JSON body', '', 'application/json', 400, 'malformed-request', null],
  ['text that is not JSON', '{"phones": [', 'application/json', 400, 'malformed-request', null],
  ['a body that is not JSON', 'phones=138', 'text/plain', 415, 'unsupported-media-type', null],
  ['a charset other than UTF-8', JSON.stringify({ phones: ['+86 13800138000'] }), 'application/json; charset=latin1', 415, 'unsupported-media-type', null],
  ['a key given twice', '{"phones": ["+86 13800138000"], "phones": ["1"]}', 'application/json', 400, 'duplicate-key', null],
  ['{} (no identifier at all)', {}, 'application/json', 422, 'validation-failed', 'body'],
  ['empty lists only', { phones: [], paymentAccounts: [] }, 'application/json', 422, 'validation-failed', 'body'],
  ['an email alone (never matched)', { email: 'li.wei@example.com' }, 'application/json', 422, 'validation-failed', 'body'],
  ['an array', [IDS.A.phone], 'application/json', 422, 'validation-failed', 'body'],
  ['null', 'null', 'application/json', 422, 'validation-failed', 'body'],
  ['an unknown field', { phones: [IDS.A.phone], nationalId: '110101199003077777' }, 'application/json', 422, 'validation-failed', 'body'],
  ['an unknown address field (role)', { addresses: [{ ...address, role: 'return' }] }, 'application/json', 422, 'validation-failed', 'body.addresses.0'],
  ['phones as a string', { phones: IDS.A.phone }, 'application/json', 422, 'validation-failed', 'body.phones'],
  ['an account as a number', { paymentAccounts: [622200001111] }, 'application/json', 422, 'validation-failed', 'body.paymentAccounts.0'],
  ['a country as a number', { country: 86, phones: [IDS.A.phone] }, 'application/json', 422, 'validation-failed', 'body.country'],
  ['a three-letter country', { country: 'CHN', phones: [IDS.A.phone] }, 'application/json', 422, 'validation-failed', 'body.country'],
  ['a carrier account without its account', { carrierAccounts: [{ carrier: 'SF' }] }, 'application/json', 422, 'validation-failed', 'body.carrierAccounts.0.account'],
  ['10,000 phones', { phones: many(10_000, (i) => `+86 138 ${String(i).padStart(8, '0')}`) }, 'application/json', 422, 'validation-failed', 'body.phones'],
  ['101 accounts', { paymentAccounts: many(101, (i) => `ACCT-${i}`) }, 'application/json', 422, 'validation-failed', 'body.paymentAccounts'],
  ['a phone that is no number', { phones: [IDS.A.phone, 'call me maybe'] }, 'application/json', 422, 'validation-failed', 'body.phones.1'],
  ['a phone of four digits', { country: 'CN', phones: ['12-34'] }, 'application/json', 422, 'validation-failed', 'body.phones.0'],
  ['an account of separators only', { paymentAccounts: ['-- .. --'] }, 'application/json', 422, 'validation-failed', 'body.paymentAccounts.0'],
  ['an address without city', { addresses: [{ line1: address.line1, country: 'CN' }] }, 'application/json', 422, 'validation-failed', 'body.addresses.0.city'],
  ['an address without country', { addresses: [{ line1: address.line1, city: 'Guangzhou' }] }, 'application/json', 422, 'validation-failed', 'body.addresses.0.country'],
  ['an address whose line1 is blank', { addresses: [{ ...address, line1: '   ' }] }, 'application/json', 422, 'validation-failed', 'body.addresses.0.line1'],
  ['a 5,000-character account', { paymentAccounts: ['6'.repeat(5_000)] }, 'application/json', 422, 'validation-failed', 'body.paymentAccounts.0'],
  ['a 100,000-character address line', { addresses: [{ ...address, line1: 'Rd '.repeat(33_334) }] }, 'application/json', 422, 'validation-failed', 'body.addresses.0.line1'],
  ['an account with a control character', { paymentAccounts: ['6222\u00000000'] }, 'application/json', 422, 'validation-failed', 'body.paymentAccounts.0'],
  ['a 2 MB body', { phones: ['1'.repeat(2 * 1024 * 1024)] }, 'application/json', 413, 'payload-too-large', null],
];

describe('POST /v1/screenings refuses bad input with a 4xx problem and writes nothing', () => {
  let w: ScreeningWorld;
  beforeAll(async () => {
    w = await startScreeningWorld();
  });
  afterAll(async () => {
    await w.h.close();
  });

  for (const [what, body, contentType, status, slug, field] of CASES) {
    it(`${what}: ${status} ${slug}`, async () => {
      const before = await graphFingerprint(w.h.db);
      const headers: Record<string, string> = contentType === null ? {} : { 'content-type': contentType };
      const response = await call(w.h.app, 'POST', '/v1/screenings', { token: w.screening, body: typeof body === 'string' ? body : body === undefined ? undefined : JSON.stringify(body), headers });
      const problem = await problemOf(response);
      expect(response.status, JSON.stringify(problem).slice(0, 500)).toBe(status);
      expect(problem.type).toBe(`urn:ringwatch:problem:${slug}`);
      if (field !== null) expect((problem.errors as { field: string }[]).map((e) => e.field)).toContain(field);
      // Never the input back: no identifier, no unknown key's name, no value.
      const text = JSON.stringify(problem).toLowerCase();
      for (const needle of ['13800138000', 'market', 'guangzhou', 'call me', 'nationalid', '110101', 'li.wei', '66666666', 'rd rd', '622200001111']) expect(text, needle).not.toContain(needle);
      expect(text.length).toBeLessThan(2_000);
      const after = await graphFingerprint(w.h.db);
      expect(after.digest).toBe(before.digest);
    });
  }

  it('names at least one needed identifier when given none', async () => {
    const problem = await problemOf(await call(w.h.app, 'POST', '/v1/screenings', { token: w.screening, body: {} }));
    expect((problem.errors as { message: string }[])[0]?.message).toMatch(/at least one of paymentAccounts, phones, addresses, carrierAccounts/);
  });

  it('still answers the next good request (nothing was left half done)', async () => {
    const response = await call(w.h.app, 'POST', '/v1/screenings', { token: w.screening, body: { phones: [IDS.B.phone], country: 'cn' } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { decision: string }).decision).toBe('review');
  });
});
