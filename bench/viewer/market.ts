import type { MarketPart } from '../../test/support/pipeline.ts';

/**
 * A market with one ring of `stores` stores (40 by default, the size the viewer is measured at)
 * tied the way rings are: accounts shared within groups of ten, phones and return addresses that
 * overlap the groups, two carrier accounts, a fulfilment centre used by more sellers than the hub
 * limit (a hub the drawing sets apart), cheap "Acme" shoes; and ordinary sellers at normal prices
 * who make the marketplace medians. Deterministic.
 */
export function viewerBenchMarket(stores = 40, hubSellers = 130): MarketPart {
  const m: Required<MarketPart> = { sellers: [], listings: [], payment_accounts: [], addresses: [], shipping_links: [] };
  const pad = (i: number) => String(i).padStart(3, '0');
  const centre = { line1: 'Fulfilment Centre 9', line2: '2 Logistics Park Road', city: 'Dongguan', country: 'CN' };
  for (let i = 0; i < stores; i++) {
    const id = `S-R${pad(i)}`;
    m.sellers.push({ seller_id: id, store_name: `Sneaker Outlet ${i + 1}`, registered_at: `2025-01-${String(1 + (i % 9)).padStart(2, '0')}T08:00:00Z`, country: 'CN' });
    for (let k = 0; k < 3; k++) {
      m.listings.push({ listing_id: `L-R${pad(i)}-${k}`, seller_id: id, title: `Acme runner ${k}`, price: 14 + ((i + k) % 7), currency: 'USD', brand: 'Acme', category: 'shoes', listed_at: '2025-01-10T00:00:00Z' });
    }
    m.payment_accounts.push({ seller_id: id, account_id: `6222 0300 ${pad(Math.floor(i / 10))}0 1122`, kind: 'bank' });
    m.shipping_links.push({ seller_id: id, shipment_id: `SH-${id}-1`, carrier: 'SF', sender_phone: `+86 138 0000 ${pad(Math.floor((i + 5) / 6))}0` });
    if (i % 2 === 0) m.addresses.push({ seller_id: id, role: 'return', line1: `Room ${100 + Math.floor(i / 8)}, Block 3`, line2: 'Huaqiang North Road', city: 'Shenzhen', country: 'CN' });
    if (i % 3 === 0) m.shipping_links.push({ seller_id: id, shipment_id: `SH-${id}-2`, carrier: 'YTO', carrier_account: `YTO-${i % 2 === 0 ? 'A' : 'B'}-7788` });
    if (i % 8 === 0) m.shipping_links.push({ seller_id: id, shipment_id: `SH-${id}-HUB`, carrier: 'SF', origin: centre });
  }
  for (let i = 0; i < hubSellers; i++) {
    const id = `S-F${pad(i)}`;
    m.sellers.push({ seller_id: id, store_name: `Ordinary store ${i + 1}`, registered_at: '2023-06-01T00:00:00Z', country: 'CN' });
    m.shipping_links.push({ seller_id: id, shipment_id: `SH-${id}-HUB`, carrier: 'SF', origin: centre });
    // Two each: the ring's 3 × 40 cheap listings stay a minority, so the median is the honest price.
    for (let k = 0; k < 2; k++) {
      m.listings.push({ listing_id: `L-F${pad(i)}-${k}`, seller_id: id, title: `Acme runner ${k}`, price: 95 + ((i + k) % 10), currency: 'USD', brand: 'Acme', category: 'shoes', listed_at: '2025-01-10T00:00:00Z' });
    }
  }
  return m;
}
