import { describe, expect, it } from 'vitest';
import { normalisePhone } from '../../../../src/ingest/normalise/phone.ts';

describe('normalisePhone', () => {
  it.each([
    // The four ways of the ingest contract all meet.
    ['+86 138 0013 8000', undefined, '+8613800138000'],
    ['0086-138-0013-8000', undefined, '+8613800138000'],
    ['(+86)13800138000', undefined, '+8613800138000'],
    ['13800138000', 'CN', '+8613800138000'],
    ['0086-138-0013-8000', 'CN', '+8613800138000'],
    ['+86-138-0013-8000', 'US', '+8613800138000'],
    ['138.0013.8000', 'cn', '+8613800138000'],
    ['+86 (0)138 0013 8000', undefined, '+8613800138000'],
    // Full-width digits, plus, brackets and ideographic space (East Asian input methods).
    ['＋８６　１３８－００１３－８０００', undefined, '+8613800138000'],
    ['（＋８６）１３８００１３８０００', undefined, '+8613800138000'],
    ['１３８００１３８０００', 'CN', '+8613800138000'],
    // United States: national forms, 011 international prefix, extension dropped.
    ['+1 (415) 555-2671', undefined, '+14155552671'],
    ['(415) 555-2671', 'US', '+14155552671'],
    ['1-415-555-2671', 'US', '+14155552671'],
    ['001-415-555-2671', 'CN', '+14155552671'],
    ['+1 212 736 5000 ext. 12', undefined, '+12127365000'],
    ['011 86 138 0013 8000', 'US', '+8613800138000'],
    // Great Britain: trunk 0, (0) after the country code, 00 from anywhere.
    ['020 7946 0958', 'GB', '+442079460958'],
    ['+44 (0)20 7946 0958', undefined, '+442079460958'],
    ['0044 20 7946 0958', 'US', '+442079460958'],
    ['07400 123456', 'GB', '+447400123456'],
    // Germany.
    ['030 901820', 'DE', '+4930901820'],
    ['+49 (0)151 23456789', undefined, '+4915123456789'],
    ['0049-151-23456789', undefined, '+4915123456789'],
    // Hong Kong: no trunk prefix.
    ['+852 9123 4567', undefined, '+85291234567'],
    ['9123 4567', 'HK', '+85291234567'],
    ['00852 6123 4567', 'HK', '+85261234567'],
    // India: the trunk 0 is optional at home.
    ['+91 98765 43210', undefined, '+919876543210'],
    ['098765 43210', 'IN', '+919876543210'],
    ['98765-43210', 'IN', '+919876543210'],
  ])('%s (default %s) is %s', (raw, country, expected) => {
    expect(normalisePhone(raw, country)).toBe(expected);
  });

  it.each([
    ['', undefined, 'empty'],
    ['   ', 'CN', 'blank'],
    ['n/a', 'CN', 'not a number'],
    ['none', undefined, 'not a number'],
    ['13800138000', undefined, 'national number without a country'],
    ['13800138000', 'XX', 'national number with an unknown country'],
    ['+86 100 0000 0000', undefined, 'no operator could assign it (max metadata)'],
    ['+1 555 555 5555', undefined, 'no operator could assign it (max metadata)'],
    ['12345', 'CN', 'too short'],
    ['000000', undefined, 'zeros'],
    ['+', undefined, 'just a plus'],
    ['call +86 138 0013 8000', undefined, 'text around the number'],
    ['+86 138 0013 8000 / +86 139 1234 5678', undefined, 'two numbers'],
    ['12345678901234567890123', undefined, 'far too long'],
    ['+86 138 0013 800O', undefined, 'a letter O for a zero'],
  ])('%s (default %s) is null: %s', (raw, country, _why) => {
    expect(normalisePhone(raw, country)).toBeNull();
  });

  it('gives every written form of one number the same key', () => {
    const forms = ['+44 7400 123456', '0044-7400-123456', '(+44)7400123456', '+447400123456', '+44 (0)7400 123456', '07400 123456'];
    expect(new Set(forms.map((f) => normalisePhone(f, 'GB')))).toEqual(new Set(['+447400123456']));
  });
});
