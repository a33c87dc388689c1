import type { Role } from '../../keys/principal.ts';
import type { App } from '../app.ts';
import type { AppDeps } from '../env.ts';
import * as alertsList from './alerts.get.ts';
import * as brandVerdicts from './brands.brand.verdicts.post.ts';
import * as healthz from './healthz.get.ts';
import * as readyz from './readyz.get.ts';
import * as referralPackage from './referrals.referralId.package.get.ts';
import * as ringsList from './rings.get.ts';
import * as ringClosures from './rings.ringId.closures.post.ts';
import * as ringDossier from './rings.ringId.get.ts';
import * as ringGraph from './rings.ringId.graph.get.ts';
import * as ringReferrals from './rings.ringId.referrals.post.ts';
import * as screenings from './screenings.post.ts';
import * as transparency from './transparency.get.ts';

/**
 * Every route of the API with who may call it: the roles each route module declares beside its
 * OpenAPI definition (and gives `requireKey`), gathered in one table that the app registers from
 * and tests read (docs/api.md, "Routes" and "Keys and roles").
 */

/** The roles a route admits; `public` needs no key. */
export type RouteRoles = readonly Role[] | 'public';

export interface RouteEntry {
  method: string;
  /** As in /openapi.json: `/v1/rings/{ringId}`. */
  path: string;
  roles: RouteRoles;
  register: (app: App, deps: AppDeps) => void;
}

const entry = (module: { route: { method: string; path: string }; roles: RouteRoles }, register: RouteEntry['register']): RouteEntry => ({
  method: module.route.method.toUpperCase(),
  path: module.route.path,
  roles: module.roles,
  register,
});

/** In the order the app registers them. */
export const ROUTES: readonly RouteEntry[] = [
  entry(healthz, (app) => healthz.registerHealthz(app)),
  entry(readyz, readyz.registerReadyz),
  entry(ringsList, ringsList.registerRingsList),
  entry(ringDossier, ringDossier.registerRingDossier),
  entry(ringGraph, ringGraph.registerRingGraph),
  entry(ringClosures, ringClosures.registerRingClosures),
  entry(ringReferrals, ringReferrals.registerRingReferrals),
  entry(referralPackage, referralPackage.registerReferralPackage),
  entry(brandVerdicts, brandVerdicts.registerBrandVerdicts),
  entry(screenings, screenings.registerScreenings),
  entry(transparency, transparency.registerTransparency),
  entry(alertsList, alertsList.registerAlertsList),
];

/** The /v1 routes with their roles: what a role-matrix test derives every refusal from. */
export const V1_ROUTES: readonly { method: string; path: string; roles: RouteRoles }[] = ROUTES.filter((r) => r.path.startsWith('/v1/')).map(({ method, path, roles }) => ({ method, path, roles }));
