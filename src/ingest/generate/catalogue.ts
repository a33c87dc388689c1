/**
 * What the synthetic marketplace sells: ~30 fictional brands with their category and typical
 * (authorised retail) price in USD, plus unbranded goods. Brand names are invented so that no
 * generated "counterfeit" listing points at a real company. Scoring and tests use `typicalPrice`
 * as the brand's reference price; generated listings are all in USD so that prices compare
 * without exchange rates.
 */

export interface BrandEntry {
  /** The brand as listings spell it. */
  readonly name: string;
  readonly category: string;
  /** Typical authorised retail price in USD; honest listings sit within ±25% of it. */
  readonly typicalPrice: number;
  /** Product names that follow the brand in titles. */
  readonly products: readonly string[];
}

const BAG = ['Monogram Tote Bag', 'Quilted Shoulder Bag', 'Leather Crossbody Bag', 'Mini Top Handle Bag', 'Chain Wallet'];
const WATCH = ['Automatic Chronograph', 'Diver 300m Watch', 'Classic Dress Watch', 'GMT Steel Watch', 'Moonphase Watch'];
const SNEAKER = ['Retro High Sneakers', 'Runner Low Trainers', 'Court Classic Shoes', 'Trail Running Shoes'];
const APPAREL = ['Down Puffer Jacket', 'Wool Overcoat', 'Logo Hoodie', 'Cashmere Scarf', 'Silk Shirt'];
const SUNGLASSES = ['Aviator Sunglasses', 'Cat Eye Sunglasses', 'Square Frame Sunglasses'];
const PERFUME = ['Eau de Parfum 100ml', 'Eau de Toilette 50ml', 'Gift Set 3x30ml'];
const COSMETICS = ['Serum 30ml', 'Lipstick Trio', 'Foundation SPF15', 'Night Cream 50ml'];
const JEWELLERY = ['Gold Bangle', 'Diamond Stud Earrings', 'Charm Bracelet', 'Pendant Necklace'];
const HEADPHONES = ['Wireless Noise-Cancelling Headphones', 'True Wireless Earbuds', 'Studio Headphones'];
const GADGETS = ['Fast Charger 65W', 'Magnetic Phone Case', 'Power Bank 20000mAh'];
const BELTS = ['Reversible Leather Belt', 'Logo Buckle Belt', 'Card Holder'];

/** The brands of the synthetic market (counterfeit rings pick theirs from here). */
export const BRAND_CATALOGUE: readonly BrandEntry[] = Object.freeze([
  { name: 'Maison Aurelle', category: 'handbags', typicalPrice: 1800, products: BAG },
  { name: 'Velmont Paris', category: 'handbags', typicalPrice: 2400, products: BAG },
  { name: 'Castellane', category: 'handbags', typicalPrice: 1500, products: BAG },
  { name: 'Bellaro Milano', category: 'handbags', typicalPrice: 1200, products: BAG },
  { name: 'Kronhaus', category: 'watches', typicalPrice: 6500, products: WATCH },
  { name: 'Oberlin Geneve', category: 'watches', typicalPrice: 9800, products: WATCH },
  { name: 'Tessaro', category: 'watches', typicalPrice: 3200, products: WATCH },
  { name: 'Sable & Rowe', category: 'watches', typicalPrice: 850, products: WATCH },
  { name: 'Stryde', category: 'sneakers', typicalPrice: 180, products: SNEAKER },
  { name: 'Pulsar Athletics', category: 'sneakers', typicalPrice: 140, products: SNEAKER },
  { name: 'Kairo', category: 'sneakers', typicalPrice: 220, products: SNEAKER },
  { name: 'Northpeak', category: 'sneakers', typicalPrice: 160, products: SNEAKER },
  { name: 'Ardent Row', category: 'apparel', typicalPrice: 450, products: APPAREL },
  { name: 'Halvard', category: 'apparel', typicalPrice: 900, products: APPAREL },
  { name: 'Lune Studio', category: 'apparel', typicalPrice: 320, products: APPAREL },
  { name: 'Corvane', category: 'apparel', typicalPrice: 280, products: APPAREL },
  { name: 'Solvane', category: 'sunglasses', typicalPrice: 260, products: SUNGLASSES },
  { name: 'Ray Meridian', category: 'sunglasses', typicalPrice: 190, products: SUNGLASSES },
  { name: "Essence d'Orsay", category: 'perfume', typicalPrice: 150, products: PERFUME },
  { name: 'Nuit Blanche', category: 'perfume', typicalPrice: 120, products: PERFUME },
  { name: 'Lumiere Skin', category: 'cosmetics', typicalPrice: 85, products: COSMETICS },
  { name: 'Velour Beauty', category: 'cosmetics', typicalPrice: 60, products: COSMETICS },
  { name: 'Marlowe & Finch', category: 'jewellery', typicalPrice: 2200, products: JEWELLERY },
  { name: 'Aurora Gem', category: 'jewellery', typicalPrice: 1400, products: JEWELLERY },
  { name: 'Celestine', category: 'jewellery', typicalPrice: 3800, products: JEWELLERY },
  { name: 'Sonique', category: 'headphones', typicalPrice: 350, products: HEADPHONES },
  { name: 'Audora', category: 'headphones', typicalPrice: 280, products: HEADPHONES },
  { name: 'Voltcase', category: 'phone_accessories', typicalPrice: 45, products: GADGETS },
  { name: 'Nexa Charge', category: 'phone_accessories', typicalPrice: 60, products: GADGETS },
  { name: 'Briar & Vale', category: 'accessories', typicalPrice: 390, products: BELTS },
]);

/** Unbranded goods honest sellers (and rings, to look honest) list at ordinary prices. */
export interface GenericItem {
  readonly title: string;
  readonly category: string;
  readonly typicalPrice: number;
}

export const GENERIC_ITEMS: readonly GenericItem[] = Object.freeze([
  { title: 'Ceramic Mug Set of 4', category: 'home', typicalPrice: 24 },
  { title: 'Bamboo Cutting Board', category: 'kitchen', typicalPrice: 18 },
  { title: 'Stainless Steel Water Bottle', category: 'sports', typicalPrice: 15 },
  { title: 'Yoga Mat 6mm', category: 'sports', typicalPrice: 22 },
  { title: 'LED Desk Lamp', category: 'home', typicalPrice: 29 },
  { title: 'Cotton Bath Towel', category: 'home', typicalPrice: 12 },
  { title: 'Silicone Phone Case', category: 'phone_accessories', typicalPrice: 8 },
  { title: 'USB-C Charging Cable 2m', category: 'phone_accessories', typicalPrice: 7 },
  { title: 'Wooden Building Blocks', category: 'toys', typicalPrice: 26 },
  { title: 'Remote Control Car', category: 'toys', typicalPrice: 35 },
  { title: 'Canvas Tote Bag', category: 'handbags', typicalPrice: 14 },
  { title: 'Plain Cotton T-Shirt', category: 'apparel', typicalPrice: 9 },
  { title: 'Knitted Beanie', category: 'apparel', typicalPrice: 11 },
  { title: 'Gel Ink Pens 12 Pack', category: 'stationery', typicalPrice: 6 },
  { title: 'A5 Dotted Notebook', category: 'stationery', typicalPrice: 10 },
  { title: 'Non-Stick Frying Pan 28cm', category: 'kitchen', typicalPrice: 32 },
  { title: 'Garden Hose 15m', category: 'garden', typicalPrice: 27 },
  { title: 'Solar Garden Lights 6 Pack', category: 'garden', typicalPrice: 21 },
  { title: 'Bicycle Phone Mount', category: 'sports', typicalPrice: 13 },
  { title: 'Quartz Wall Clock', category: 'home', typicalPrice: 19 },
]);

/** Words counterfeit titles add to look like a bargain. */
export const COUNTERFEIT_TITLE_SUFFIXES: readonly string[] = [
  '',
  '',
  ' - Top Quality',
  ' Original Box',
  ' Factory Price',
  ' 1:1',
  ' Free Shipping',
  ' New Season',
  ' Outlet',
];

/** The brand entry of a name, for scoring and tests that need a reference price. */
export function brandByName(name: string): BrandEntry | undefined {
  return BRAND_CATALOGUE.find((b) => b.name === name);
}
