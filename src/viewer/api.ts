import type { Dossier, RingGraph } from '../dossier/schema.ts';
import type { ListFilters } from './fragment.ts';

/**
 * The public API as the viewer calls it: the key in the Authorization header (never in a URL),
 * nothing cached, no Referer, and the service's problem+json turned into one error type. The page
 * can therefore do nothing its key could not do with curl.
 */

export type RingSummary = Pick<Dossier, 'ringId' | 'riskScore' | 'flagged' | 'size' | 'brands' | 'status'>;
export interface RingPage {
  items: RingSummary[];
  nextCursor: string | null;
}
export interface ClosureResult {
  closureId: string | null;
  sellerIds: string[];
  dryRun: boolean;
  status: string;
}
export interface ReferralResult {
  referralId: string;
  agency: string;
  packageSha256: string;
}

/** An answer other than 2xx: the problem document's status, type slug, title and detail. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    readonly detail: string,
  ) {
    super(`${title}: ${detail}`);
    this.name = 'ApiProblem';
  }
}

export interface ApiClientOptions {
  key: string;
  /** Called on every 401 (an unknown or revoked key), before the error is thrown. */
  onUnauthorized: (problem: ApiProblem) => void;
}

export class ApiClient {
  constructor(private readonly options: ApiClientOptions) {}

  /** `GET /v1/rings`, riskiest first. */
  rings(filters: ListFilters, cursor: string | null, limit = 50): Promise<RingPage> {
    const query = new URLSearchParams({ limit: String(limit) });
    if (filters.flagged) query.set('flagged', filters.flagged);
    if (filters.brand) query.set('brand', filters.brand);
    if (filters.status) query.set('status', filters.status);
    if (cursor) query.set('cursor', cursor);
    return this.request('GET', `/v1/rings?${query}`);
  }

  /** `GET /v1/rings/{ringId}`: the dossier, masked for a brand key. */
  dossier(ringId: string): Promise<Dossier> {
    return this.request('GET', `/v1/rings/${encodeURIComponent(ringId)}`);
  }

  /** `GET /v1/rings/{ringId}/graph` (analysts). */
  graph(ringId: string): Promise<RingGraph> {
    return this.request('GET', `/v1/rings/${encodeURIComponent(ringId)}/graph`);
  }

  /** `POST /v1/rings/{ringId}/closures`; the same idempotency key and body answer the same closure. */
  closure(ringId: string, idempotencyKey: string, body: { dryRun: boolean; reason: string; sellerIds?: string[] }): Promise<ClosureResult> {
    return this.request('POST', `/v1/rings/${encodeURIComponent(ringId)}/closures`, body, idempotencyKey);
  }

  /** `POST /v1/rings/{ringId}/referrals`; the same idempotency key and body answer the same referral. */
  referral(ringId: string, idempotencyKey: string, body: { agency: string; caseReference: string }): Promise<ReferralResult> {
    return this.request('POST', `/v1/rings/${encodeURIComponent(ringId)}/referrals`, body, idempotencyKey);
  }

  private async request<T>(method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.options.key}`, accept: 'application/json, application/problem+json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    const response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
    if (response.ok) return (await response.json()) as T;
    const problem = await problemOf(response);
    if (response.status === 401) this.options.onUnauthorized(problem);
    throw problem;
  }
}

async function problemOf(response: Response): Promise<ApiProblem> {
  try {
    const doc = (await response.json()) as { type?: string; title?: string; detail?: string };
    return new ApiProblem(response.status, doc.type ?? 'about:blank', doc.title ?? response.statusText, doc.detail ?? '');
  } catch {
    return new ApiProblem(response.status, 'about:blank', response.statusText || `HTTP ${response.status}`, 'the service answered something other than JSON');
  }
}
