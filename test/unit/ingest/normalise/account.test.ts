import { describe, expect, it } from 'vitest';
import { normaliseAccountId } from '../../../../src/ingest/normalise/account.ts';

describe('normaliseAccountId', () => {
  it.each([
    ['6222 0212 3456 7890 123', '6222021234567890123'],
    ['6222-0212-3456-7890-123', '6222021234567890123'],
    ['6222.0212.3456.7890.123', '6222021234567890123'],
    ['  6222021234567890123  ', '6222021234567890123'],
    ['6222/0212/3456', '622202123456'],
    // IBANs: country code and check digits are significant and stay.
    ['DE89 3704 0044 0532 0130 00', 'DE89370400440532013000'],
    ['de89370400440532013000', 'DE89370400440532013000'],
    ['Gb29 nWbK 6016 1331 9268 19', 'GB29NWBK60161331926819'],
    // Full-width (East Asian input methods), ideographic space, other dashes, zero-width space.
    ['６２２２　０２１２－３４５６', '622202123456'],
    ['ＤＥ８９ ３７０４', 'DE893704'],
    ['6222\u20140212\u20133456', '622202123456'],
    ['6222\u200b0212', '62220212'],
    ['6222\u30fb0212', '62220212'],
    // Wallet and carrier account codes keep letters and other marks.
    ['wx-8k3j-2m9x', 'WX8K3J2M9X'],
    ['SRE 0755 123456', 'SRE0755123456'],
    ['seller_01@pay', 'SELLER_01@PAY'],
  ])('%j is %j', (raw, expected) => {
    expect(normaliseAccountId(raw)).toBe(expected);
  });

  it('keeps every significant character: a changed check digit is another account', () => {
    expect(normaliseAccountId('DE89 3704 0044 0532 0130 00')).not.toBe(normaliseAccountId('DE88 3704 0044 0532 0130 00'));
    expect(normaliseAccountId('6222 0212 3456 7890 123')).not.toBe(normaliseAccountId('6222 0212 3456 7890 12'));
  });

  it.each(['', '   ', ' - . / ', '\u3000', '\u200b'])('%j has nothing significant: null', (raw) => {
    expect(normaliseAccountId(raw)).toBeNull();
  });
});
