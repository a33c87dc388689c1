import { RING_ID_PATTERN } from '../vocabulary.ts';

/**
 * What the address bar's fragment says: the page to show and, once, an API key. The key rides in
 * the fragment because a fragment never reaches a server or its logs; the page takes it out at
 * once (main.ts). Pure, so the rules are tested without a browser (test/unit/viewer).
 */

/** `#key=TOKEN`, `#/rings/R-ABCDEFGH&key=TOKEN`, `#/?flagged=true&key=TOKEN`: the route and the key apart. */
export function splitFragment(hash: string): { route: string; key: string | null } {
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  let key: string | null = null;
  const kept: string[] = [];
  for (const part of text.split('&')) {
    // `key=` may also follow a route's own `?`: `#/?flagged=true&key=…` splits into `/?flagged=true` and `key=…`.
    if (part.startsWith('key=')) key = decodeURIComponent(part.slice('key='.length)) || null;
    else if (part !== '') kept.push(part);
  }
  const route = kept.join('&');
  return { route: route === '' ? '/' : route, key };
}

/** The filters of the ring list, as `GET /v1/rings` takes them. */
export interface ListFilters {
  flagged?: 'true' | 'false';
  brand?: string;
  status?: string;
}

export type Route = { page: 'list'; filters: ListFilters } | { page: 'ring'; ringId: string } | { page: 'unknown'; path: string };

/** The page a route names: `/` (or `/?flagged=true&brand=acme&status=open`), `/rings/{ringId}`, else unknown. */
export function parseRoute(route: string): Route {
  const [path = '/', query = ''] = route.split('?', 2);
  if (path === '/' || path === '') {
    const params = new URLSearchParams(query);
    const filters: ListFilters = {};
    const flagged = params.get('flagged');
    if (flagged === 'true' || flagged === 'false') filters.flagged = flagged;
    const brand = params.get('brand')?.trim();
    if (brand) filters.brand = brand;
    const status = params.get('status');
    if (status) filters.status = status;
    return { page: 'list', filters };
  }
  const ring = /^\/rings\/([^/]+)$/.exec(path);
  if (ring?.[1] && RING_ID_PATTERN.test(ring[1])) return { page: 'ring', ringId: ring[1] };
  return { page: 'unknown', path };
}

/** The fragment of the ring list with `filters` (the inverse of parseRoute's list page). */
export function listFragment(filters: ListFilters): string {
  const params = new URLSearchParams();
  if (filters.flagged) params.set('flagged', filters.flagged);
  if (filters.brand) params.set('brand', filters.brand);
  if (filters.status) params.set('status', filters.status);
  const query = params.toString();
  return query === '' ? '#/' : `#/?${query}`;
}

/** The fragment of a ring's page. */
export const ringFragment = (ringId: string): string => `#/rings/${ringId}`;
