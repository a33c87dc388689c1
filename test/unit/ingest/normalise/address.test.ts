import { describe, expect, it } from 'vitest';
import { addressKey, type AddressParts } from '../../../../src/ingest/normalise/address.ts';

const hk = (line1: string, line2?: string, city = 'Kowloon'): AddressParts => ({ line1, line2, city, country: 'HK' });
const cn = (line1: string, line2?: string, city = 'Shenzhen'): AddressParts => ({ line1, line2, city, country: 'CN' });

describe('addressKey: variants of one place meet', () => {
  it.each<[string, AddressParts[]]>([
    [
      'case, punctuation, spacing, abbreviations, unit order, line split',
      [
        hk('Room 1203, 12/F, Wing On Building, 88 Nathan Road'),
        hk('RM. 1203 12F WING ON BLDG NO. 88 NATHAN RD.'),
        hk('12th Floor, Unit 1203', 'Wing On Bldg, #88 Nathan Rd'),
        hk('Flat 1203,  Floor 12,Wing On Bldg. No.88 Nathan Rd'),
        hk('Rm1203 12/f wing-on bldg 88 nathan rd', undefined, 'KOWLOON'),
        hk('Fl. 12 Rm 1203', 'Wing On Building 88 Nathan Road'),
      ],
    ],
    [
      'full-width characters (NFKC)',
      [hk('Room 1203, 12/F, Wing On Building, 88 Nathan Road'), hk('Ｒｏｏｍ　１２０３，１２／Ｆ，Ｗｉｎｇ　Ｏｎ　Ｂｕｉｌｄｉｎｇ，８８　Ｎａｔｈａｎ　Ｒｏａｄ', undefined, 'Ｋｏｗｌｏｏｎ')],
    ],
    [
      'Blk/Block/Bldg/Building, Ind/Industrial, Dist/District',
      [
        cn('Block B, Room 5, Xinghe Industrial Park, Longgang District'),
        cn('Blk B Rm 5 Xinghe Ind. Park Longgang Dist.'),
        cn('Bldg B, Unit 5', 'Xinghe Ind Park, Longgang Dist'),
        cn('Room 5 Building B Xinghe Industrial Park Longgang District'),
      ],
    ],
    [
      'No./#/Number and leading zeros',
      [cn('Room 0805, No. 88 Keji Road'), cn('Room 805 #88 Keji Rd'), cn('Rm 805, Number 88, Keji Road'), cn('room 805 88 keji rd')],
    ],
    [
      'Chinese unit suffixes and full-width digits',
      [cn('科技园路88号B座12楼1203室'), cn('科技园路８８号Ｂ座１２楼１２０３室'), cn('科技园路 88 号 B 座 12 楼 1203 室')],
    ],
    [
      'apostrophes',
      [hk("Shop 3, 12 Queen's Road"), hk('Shop 3, 12 Queens Rd'), hk('SHOP 3 12 QUEEN\u2019S ROAD')],
    ],
    [
      'Hong Kong ground floor',
      [hk('G/F, 5 Tung Choi St'), hk('Ground Floor, 5 Tung Choi Street'), hk('GF 5 Tung Choi Street')],
    ],
    [
      'German street compounds, ß and accents',
      [
        { line1: 'Hauptstraße 12', city: 'München', country: 'DE' },
        { line1: 'Hauptstr. 12', city: 'Munchen', country: 'de' },
        { line1: 'HAUPTSTRASSE 12', city: 'MÜNCHEN', postal_code: '80331', country: 'DE' },
      ],
    ],
    [
      'US directions, ordinals and apartment words; region and postal code do not split a place',
      [
        { line1: '1234 W 34th St., Apt 4B', city: 'New York', region: 'NY', postal_code: '10001', country: 'US' },
        { line1: 'Apartment 4b', line2: '1234 West 34 Street', city: 'new york', country: 'US' },
        { line1: '1234 WEST 34TH STREET #APT 4B', city: 'New York', region: 'New York', country: 'us' },
      ],
    ],
  ])('%s', (_name, variants) => {
    const keys = new Set(variants.map(addressKey));
    expect([...keys]).toHaveLength(1);
  });
});

describe('addressKey: different places never meet', () => {
  it.each<[string, AddressParts, AddressParts]>([
    ['Room 1203 vs Room 1230', hk('Room 1203, 88 Nathan Road'), hk('Room 1230, 88 Nathan Road')],
    ['next door', hk('Room 1203, 88 Nathan Road'), hk('Room 1204, 88 Nathan Road')],
    ['same unit, another floor', hk('Flat B, 12/F, 88 Nathan Road'), hk('Flat B, 13/F, 88 Nathan Road')],
    ['two rooms of one building', cn('Room 1203, Golden Dragon Building, 88 Keji Road'), cn('Room 1205, Golden Dragon Building, 88 Keji Road')],
    ['a room vs the whole building', cn('Room 1203, 88 Keji Road'), cn('88 Keji Road')],
    ['12-03 is not 1203', hk('Room 12-03, 88 Nathan Road'), hk('Room 1203, 88 Nathan Road')],
    ['1-203 is not 12-03', hk('Room 1-203, 88 Nathan Road'), hk('Room 12-03, 88 Nathan Road')],
    ['another street number', hk('Room 1203, 88 Nathan Road'), hk('Room 1203, 86 Nathan Road')],
    ['street number vs room swapped', hk('Room 88, 1203 Nathan Road'), hk('Room 1203, 88 Nathan Road')],
    ['Road vs Street', hk('Room 1203, 88 Nathan Road'), hk('Room 1203, 88 Nathan Street')],
    ['another block', cn('Block A, Room 5, Xinghe Industrial Park'), cn('Block B, Room 5, Xinghe Industrial Park')],
    ['another city', cn('Room 1203, 88 Keji Road'), cn('Room 1203, 88 Keji Road', undefined, 'Guangzhou')],
    ['another country', cn('Room 1203, 88 Nathan Road', undefined, 'Kowloon'), hk('Room 1203, 88 Nathan Road')],
    ['a lettered flat', hk('Flat A, 12/F, 88 Nathan Road'), hk('Flat B, 12/F, 88 Nathan Road')],
    ['apartment 4B vs 4C', { line1: '1234 Oak St Apt 4B', city: 'Newark', country: 'US' }, { line1: '1234 Oak St Apt 4C', city: 'Newark', country: 'US' }],
    ['Hauptstraße 12 vs 21', { line1: 'Hauptstraße 12', city: 'Berlin', country: 'DE' }, { line1: 'Hauptstraße 21', city: 'Berlin', country: 'DE' }],
  ])('%s', (_name, a, b) => {
    expect(addressKey(a)).not.toBe(addressKey(b));
  });

  it('keeps every number of the address in the key', () => {
    const key = addressKey(hk('Flat 1203, 12/F, Block 7, Wing On Building, 88-90 Nathan Road', 'Mong Kok'));
    for (const n of ['1203', '12', '7', '88-90']) expect(key).toContain(n);
  });
});
