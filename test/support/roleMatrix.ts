import type { RouteRoles } from '../../src/http/routes/table.ts';
import type { Role } from '../../src/keys/principal.ts';
import { ROLES } from '../../src/keys/principal.ts';

/** Who knocks: no key, a revoked key, a key of each role, and keys scoped to someone else's brand or agency. */
export type Caller = { kind: 'none' } | { kind: 'revoked' } | { kind: 'role'; role: Role } | { kind: 'otherBrand' } | { kind: 'otherAgency' };

export interface Refusal {
  caller: Caller;
  /** What the route must answer this caller. */
  status: 401 | 403 | 404;
  /** The problem type it must carry. */
  type: string;
}

export const describeCaller = (caller: Caller): string => (caller.kind === 'role' ? `a ${caller.role} key` : caller.kind === 'none' ? 'no key' : `a key of ${caller.kind}`);

/**
 * Every refusal a route owes, derived from the roles it declares (src/http/routes/table.ts), so a
 * route whose roles change gets its refusals tested without anyone writing them: no key and a
 * revoked key are 401; a key of a role the route does not admit is 403; a brand or agency key the
 * route admits, asking for what belongs to another brand or agency, is refused (404 where saying
 * 403 would tell that the thing exists, as the route decides: `scopedRefusal`).
 */
export function refusalsOf(roles: RouteRoles, scopedRefusal: { otherBrand?: Omit<Refusal, 'caller'>; otherAgency?: Omit<Refusal, 'caller'> } = {}): Refusal[] {
  if (roles === 'public') return [];
  const refusals: Refusal[] = [
    { caller: { kind: 'none' }, status: 401, type: 'urn:ringwatch:problem:unauthorized' },
    { caller: { kind: 'revoked' }, status: 401, type: 'urn:ringwatch:problem:invalid-api-key' },
  ];
  for (const role of ROLES) {
    if (!roles.includes(role)) refusals.push({ caller: { kind: 'role', role }, status: 403, type: 'urn:ringwatch:problem:forbidden-role' });
  }
  if (roles.includes('brand') && scopedRefusal.otherBrand) refusals.push({ caller: { kind: 'otherBrand' }, ...scopedRefusal.otherBrand });
  if (roles.includes('agency') && scopedRefusal.otherAgency) refusals.push({ caller: { kind: 'otherAgency' }, ...scopedRefusal.otherAgency });
  return refusals;
}
