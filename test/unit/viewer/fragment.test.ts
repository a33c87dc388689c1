import { describe, expect, it } from 'vitest';
import { listFragment, parseRoute, splitFragment } from '../../../src/viewer/fragment.ts';

describe('the viewer fragment', () => {
  it('takes a key given alone, after a route, or after a list query, and keeps the route', () => {
    expect(splitFragment('#key=rw_abc_def')).toEqual({ route: '/', key: 'rw_abc_def' });
    expect(splitFragment('#/rings/R-ABCDEFGH&key=rw_abc_def')).toEqual({ route: '/rings/R-ABCDEFGH', key: 'rw_abc_def' });
    expect(splitFragment('#/?flagged=true&key=rw_abc_def&brand=acme')).toEqual({ route: '/?flagged=true&brand=acme', key: 'rw_abc_def' });
    expect(splitFragment('#/rings/R-ABCDEFGH')).toEqual({ route: '/rings/R-ABCDEFGH', key: null });
    expect(splitFragment('')).toEqual({ route: '/', key: null });
    expect(splitFragment('#key=')).toEqual({ route: '/', key: null });
  });

  it('names the page: the list with its filters, a ring by a well-formed id, else unknown', () => {
    expect(parseRoute('/')).toEqual({ page: 'list', filters: {} });
    expect(parseRoute('/?flagged=true&brand=%20Acme%20&status=open')).toEqual({ page: 'list', filters: { flagged: 'true', brand: 'Acme', status: 'open' } });
    expect(parseRoute('/?flagged=maybe')).toEqual({ page: 'list', filters: {} });
    expect(parseRoute('/rings/R-ABCDEFGH')).toEqual({ page: 'ring', ringId: 'R-ABCDEFGH' });
    expect(parseRoute('/rings/R-abcdefgh')).toEqual({ page: 'unknown', path: '/rings/R-abcdefgh' });
    expect(parseRoute('/rings/../../v1/keys')).toEqual({ page: 'unknown', path: '/rings/../../v1/keys' });
  });

  it('writes the list filters back as a fragment parseRoute reads the same', () => {
    const filters = { flagged: 'true' as const, brand: 'Acme & Co', status: 'open' };
    const fragment = listFragment(filters);
    expect(parseRoute(splitFragment(fragment).route)).toEqual({ page: 'list', filters });
    expect(listFragment({})).toBe('#/');
  });
});
