/**
 * Where synthetic sellers live: cities, streets, phone plans and banks of the six countries the
 * generator uses. Place names are common real ones (a street called Nathan Road exists in every
 * sense); numbers, rooms and buildings are drawn so that no generated address is a real one.
 * Phone prefixes were checked against libphonenumber-js `max` metadata: every number drawn from
 * them is valid (the generator tests re-check this).
 */

export type CountryCode = 'CN' | 'HK' | 'US' | 'GB' | 'DE' | 'IN';

/** How an address of the country is laid out and which unit words it uses. */
export type AddressStyle = 'asia' | 'western' | 'german';

export interface City {
  readonly name: string;
  /** Spellings sellers use for the same city (accents dropped, …); the first is canonical. */
  readonly variants?: readonly string[];
  readonly region?: string;
  readonly postal?: string;
}

export type StreetType = 'road' | 'street' | 'avenue' | 'boulevard' | 'lane' | 'drive' | 'none';

export interface Street {
  readonly name: string;
  readonly type: StreetType;
}

export interface Country {
  readonly code: CountryCode;
  /** Share of sellers registered in the country. */
  readonly weight: number;
  readonly style: AddressStyle;
  readonly cities: readonly City[];
  readonly streets: readonly Street[];
  /** Districts, industrial parks and neighbourhoods that close an address line. */
  readonly areas: readonly { name: string; kind: 'district' | 'industrial' | 'plain' }[];
  readonly phone: {
    readonly callingCode: string;
    /** Leading digits of mobile numbers; the rest is `suffixDigits` digits. */
    readonly prefixes: readonly string[];
    readonly suffixDigits: number;
    /** The national trunk prefix written before the number at home ("0" in GB, DE, IN). */
    readonly trunk: string;
  };
  readonly banks: readonly string[];
}

const CN_STREETS: Street[] = [
  ['Keji', 'road'], ['Huaqiang North', 'road'], ['Shennan', 'avenue'], ['Bantian Wuhe', 'avenue'],
  ['Xinghe', 'road'], ['Jianshe', 'road'], ['Renmin', 'road'], ['Zhongshan', 'road'], ['Binhai', 'avenue'],
  ['Chuangye', 'road'], ['Fuhua', 'road'], ['Nanhai', 'avenue'], ['Gongye', 'road'], ['Xueyuan', 'road'],
  ['Jiefang', 'road'], ['Heping', 'road'], ['Yingbin', 'avenue'], ['Dongmen', 'street'], ['Xinhua', 'street'],
  ['Wenhua', 'road'], ['Changjiang', 'road'], ['Huanghe', 'road'], ['Qianjin', 'road'], ['Minzhu', 'road'],
  ['Beijing', 'road'], ['Huangpu', 'road'], ['Baoan', 'avenue'], ['Meilong', 'road'], ['Longgang', 'avenue'],
  ['Guanlan', 'avenue'],
].map(([name, type]) => ({ name: name as string, type: type as StreetType }));

const HK_STREETS: Street[] = [
  ['Nathan', 'road'], ['Argyle', 'street'], ['Hennessy', 'road'], ['Des Voeux', 'road'], ['Castle Peak', 'road'],
  ['Hoi Bun', 'road'], ['Kwun Tong', 'road'], ['Canton', 'road'], ['Portland', 'street'], ['Shanghai', 'street'],
  ['Sai Yeung Choi', 'street'], ['Tung Choi', 'street'], ['Lai Chi Kok', 'road'], ['Cheung Sha Wan', 'road'],
  ['Tai Lin Pai', 'road'], ['Wang Chiu', 'road'], ['Hung To', 'road'], ['King Yip', 'street'],
  ['Wing Hong', 'street'], ['Un Chau', 'street'],
].map(([name, type]) => ({ name: name as string, type: type as StreetType }));

const US_STREETS: Street[] = [
  ['Oak', 'street'], ['Maple', 'avenue'], ['Washington', 'boulevard'], ['Park', 'avenue'], ['Main', 'street'],
  ['Elm', 'street'], ['Lincoln', 'drive'], ['Sunset', 'boulevard'], ['Lake Shore', 'drive'], ['Market', 'street'],
  ['Pine', 'street'], ['Cedar', 'lane'], ['Madison', 'avenue'], ['Franklin', 'street'], ['Jefferson', 'street'],
  ['Hill', 'road'], ['Willow', 'lane'], ['Harbor', 'boulevard'], ['Spring', 'street'], ['Ridge', 'road'],
].map(([name, type]) => ({ name: name as string, type: type as StreetType }));

const GB_STREETS: Street[] = [
  ['High', 'street'], ['Station', 'road'], ['Church', 'lane'], ['Victoria', 'road'], ['Park', 'road'],
  ['Mill', 'lane'], ['Queen', 'street'], ['King', 'street'], ['Green', 'lane'], ['Manor', 'road'],
  ['London', 'road'], ['Albert', 'road'], ['York', 'road'], ['Baker', 'street'], ['Castle', 'street'],
  ['Chapel', 'street'], ['Grange', 'road'], ['Kings', 'road'], ['Springfield', 'road'], ['Windsor', 'road'],
].map(([name, type]) => ({ name: name as string, type: type as StreetType }));

/** German streets are compounds ("Hauptstraße"); the type is part of the name. */
const DE_STREETS: Street[] = [
  'Haupt', 'Bahnhof', 'Garten', 'Schiller', 'Goethe', 'Linden', 'Kirch', 'Markt', 'Schul', 'Berg',
  'Wald', 'Dorf', 'Feld', 'Friedrich', 'Wilhelm', 'Rosen', 'Blumen', 'Mozart', 'Lessing', 'Industrie',
].map((name) => ({ name, type: 'none' as StreetType }));

const IN_STREETS: Street[] = [
  ['MG', 'road'], ['Linking', 'road'], ['Brigade', 'road'], ['Park', 'street'], ['Residency', 'road'],
  ['Hill', 'road'], ['Station', 'road'], ['Church', 'street'], ['Temple', 'road'], ['Market', 'road'],
  ['Cross', 'road'], ['Main', 'road'], ['Nehru', 'street'], ['Gandhi', 'road'], ['Lake', 'road'],
].map(([name, type]) => ({ name: name as string, type: type as StreetType }));

export const COUNTRIES: Readonly<Record<CountryCode, Country>> = {
  CN: {
    code: 'CN',
    weight: 0.55,
    style: 'asia',
    cities: [
      { name: 'Shenzhen', region: 'Guangdong', postal: '518000' },
      { name: 'Guangzhou', region: 'Guangdong', postal: '510000' },
      { name: 'Dongguan', region: 'Guangdong', postal: '523000' },
      { name: 'Yiwu', region: 'Zhejiang', postal: '322000' },
      { name: 'Hangzhou', region: 'Zhejiang', postal: '310000' },
      { name: 'Shanghai', region: 'Shanghai', postal: '200000' },
      { name: 'Putian', region: 'Fujian', postal: '351100' },
      { name: 'Quanzhou', region: 'Fujian', postal: '362000' },
    ],
    streets: CN_STREETS,
    areas: [
      { name: 'Nanshan', kind: 'district' }, { name: 'Futian', kind: 'district' },
      { name: 'Longgang', kind: 'district' }, { name: 'Luohu', kind: 'district' },
      { name: 'Longhua', kind: 'district' }, { name: 'Tianhe', kind: 'district' },
      { name: 'Baiyun', kind: 'district' }, { name: 'Yuexiu', kind: 'district' },
      { name: 'Xinghe', kind: 'industrial' }, { name: 'Huanan', kind: 'industrial' },
      { name: 'Fenghuang', kind: 'industrial' }, { name: 'Shajing', kind: 'industrial' },
    ],
    phone: {
      callingCode: '86',
      prefixes: ['130', '131', '132', '135', '136', '137', '138', '139', '150', '151', '152', '158', '159', '186', '188'],
      suffixDigits: 8,
      trunk: '',
    },
    banks: ['Bank of Shenzhen Commerce', 'Pearl River Commercial Bank', 'Yangtze Merchants Bank', 'Eastern Coast Bank'],
  },
  HK: {
    code: 'HK',
    weight: 0.1,
    style: 'asia',
    cities: [{ name: 'Kowloon' }, { name: 'Hong Kong' }, { name: 'New Territories' }],
    streets: HK_STREETS,
    areas: [
      { name: 'Mong Kok', kind: 'plain' }, { name: 'Tsim Sha Tsui', kind: 'plain' },
      { name: 'Kwun Tong', kind: 'plain' }, { name: 'Sham Shui Po', kind: 'plain' },
      { name: 'Cheung Sha Wan', kind: 'plain' }, { name: 'Wan Chai', kind: 'plain' },
      { name: 'Causeway Bay', kind: 'plain' }, { name: 'Tsuen Wan', kind: 'plain' },
      { name: 'Kwai Chung', kind: 'plain' }, { name: 'Sheung Wan', kind: 'plain' },
    ],
    phone: { callingCode: '852', prefixes: ['61', '63', '64', '65', '69', '94', '96', '97'], suffixDigits: 6, trunk: '' },
    banks: ['Victoria Harbour Bank', 'Kowloon Commercial Bank', 'Pearl Delta Banking Corp'],
  },
  US: {
    code: 'US',
    weight: 0.12,
    style: 'western',
    cities: [
      { name: 'New York', region: 'NY', postal: '10001' },
      { name: 'Los Angeles', region: 'CA', postal: '90012' },
      { name: 'Chicago', region: 'IL', postal: '60601' },
      { name: 'Houston', region: 'TX', postal: '77002' },
      { name: 'Miami', region: 'FL', postal: '33101' },
      { name: 'Seattle', region: 'WA', postal: '98101' },
      { name: 'Newark', region: 'NJ', postal: '07102' },
      { name: 'Brooklyn', region: 'NY', postal: '11201' },
    ],
    streets: US_STREETS,
    areas: [],
    phone: {
      callingCode: '1',
      // Area code + exchange; the exchange avoids N11 and 555, which are not assignable.
      prefixes: ['212', '415', '646', '310', '312', '617', '206', '305', '713', '404', '202', '718'],
      suffixDigits: 7,
      trunk: '1',
    },
    banks: ['First Harbor Bank', 'Union Prairie Bank', 'Atlantic Savings & Trust'],
  },
  GB: {
    code: 'GB',
    weight: 0.08,
    style: 'western',
    cities: [
      { name: 'London', postal: 'E1 6AN' },
      { name: 'Manchester', postal: 'M1 1AE' },
      { name: 'Birmingham', postal: 'B1 1AA' },
      { name: 'Leeds', postal: 'LS1 4AP' },
      { name: 'Glasgow', postal: 'G1 1XQ' },
      { name: 'Bristol', postal: 'BS1 4DJ' },
    ],
    streets: GB_STREETS,
    areas: [],
    phone: { callingCode: '44', prefixes: ['71', '72', '73', '74', '75', '78'], suffixDigits: 8, trunk: '0' },
    banks: ['Thames Mutual Bank', 'Northern Counties Bank', 'Albion Savings'],
  },
  DE: {
    code: 'DE',
    weight: 0.08,
    style: 'german',
    cities: [
      { name: 'Berlin', postal: '10115' },
      { name: 'Hamburg', postal: '20095' },
      { name: 'München', variants: ['München', 'Munchen', 'MÜNCHEN'], postal: '80331' },
      { name: 'Köln', variants: ['Köln', 'Koln'], postal: '50667' },
      { name: 'Frankfurt am Main', postal: '60311' },
      { name: 'Stuttgart', postal: '70173' },
      { name: 'Düsseldorf', variants: ['Düsseldorf', 'Dusseldorf'], postal: '40213' },
      { name: 'Leipzig', postal: '04109' },
    ],
    streets: DE_STREETS,
    areas: [],
    phone: { callingCode: '49', prefixes: ['151', '152', '157', '159', '176'], suffixDigits: 8, trunk: '0' },
    banks: ['Rheinland Handelsbank', 'Sparkasse Mittelland', 'Hanse Volksbank'],
  },
  IN: {
    code: 'IN',
    weight: 0.07,
    style: 'asia',
    cities: [
      { name: 'Bengaluru', region: 'Karnataka', postal: '560038' },
      { name: 'Mumbai', region: 'Maharashtra', postal: '400001' },
      { name: 'New Delhi', region: 'Delhi', postal: '110001' },
      { name: 'Chennai', region: 'Tamil Nadu', postal: '600001' },
      { name: 'Hyderabad', region: 'Telangana', postal: '500001' },
      { name: 'Pune', region: 'Maharashtra', postal: '411001' },
    ],
    streets: IN_STREETS,
    areas: [
      { name: 'Indiranagar', kind: 'plain' }, { name: 'Koramangala', kind: 'plain' },
      { name: 'Andheri', kind: 'plain' }, { name: 'Bandra', kind: 'plain' },
      { name: 'Powai', kind: 'plain' }, { name: 'Velachery', kind: 'plain' },
      { name: 'Peenya', kind: 'industrial' }, { name: 'Okhla', kind: 'industrial' },
    ],
    phone: {
      callingCode: '91',
      prefixes: ['98', '99', '97', '96', '95', '94', '93', '91', '90', '89', '88', '87', '86', '85', '84', '70'],
      suffixDigits: 8,
      trunk: '0',
    },
    banks: ['Deccan Commercial Bank', 'Indus Valley Bank', 'Coromandel Bank'],
  },
};

export const COUNTRY_CODES: readonly CountryCode[] = ['CN', 'HK', 'US', 'GB', 'DE', 'IN'];
export const COUNTRY_WEIGHTS: readonly number[] = COUNTRY_CODES.map((c) => COUNTRIES[c].weight);

/** Names for buildings shared by several honest businesses (and for fulfilment centres). */
export const BUILDING_NAMES: readonly string[] = [
  'Golden Dragon', 'Wing On', 'Tai Fung', 'Hua Mei', 'Kin Wah', 'Sun Hing', 'Fu Lok', 'Man Yee', 'Ho King',
  'Lucky Star', 'Grand Harbour', 'Jade Garden', 'Silver Crest', 'Oriental Pearl', 'Prosperity', 'Evergreen',
  'Albion', 'Riverside', 'Crown', 'Pacific Trade',
];

/** Carriers (fictional) and the prefix of their account numbers. */
export const CARRIERS: readonly { name: string; prefix: string }[] = [
  { name: 'SwiftRoute Express', prefix: 'SRE' },
  { name: 'Dragon Post', prefix: 'DP' },
  { name: 'Pacific Parcel', prefix: 'PP' },
  { name: 'EuroLink Freight', prefix: 'ELF' },
  { name: 'Harbour Courier', prefix: 'HC' },
  { name: 'Silk Road Logistics', prefix: 'SRL' },
  { name: 'Transit One', prefix: 'TO' },
];

export const WALLET_PROVIDERS: readonly string[] = ['PayLink Wallet', 'SilkPay', 'Harbour Pay', 'Orbit Wallet'];
export const CARD_ISSUERS: readonly string[] = ['Meridian Card Services', 'Orient Card Co', 'Atlas Card'];
export const AGGREGATOR_NAME = 'GlobalCollect Payments';
