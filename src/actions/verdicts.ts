import { appendAuditEvent, type AuditActor } from '../audit/auditLog.ts';
import { randomBase32 } from '../canonical.ts';
import { RingwatchError } from '../errors.ts';
import { int, type Db, type TxMeta } from '../graph/db.ts';
import { PHOTO_EVIDENCE_MAX_LISTINGS } from '../graph/detectionStore.ts';

/**
 * Brand verdicts: a brand confirms or denies listings of its own brand as counterfeit. Each
 * listing gets a Verdict and the verdict itself, which scoring reads.
 */

export type Verdict = 'counterfeit' | 'genuine';

export interface VerdictRequest {
  /** The brand as the request names it (for messages) and as compared. */
  brand: string;
  brandKey: string;
  /** The brand as the key that records the verdicts was made for. */
  keyBrand: string | null;
  listingIds: readonly string[];
  verdict: Verdict;
  note?: string;
}

interface VerdictContext {
  db: Db;
  actor: AuditActor;
  at: Date;
  meta: TxMeta;
}

/**
 * Records `request.verdict` on every listing, in one transaction with its audit event, and returns
 * the listings (each once). Listings that are unknown or of another brand are refused together
 * (LISTINGS_NOT_OF_BRAND), without saying which is which: a brand learns nothing about others.
 */
export async function recordVerdicts({ db, actor, at, meta }: VerdictContext, request: VerdictRequest): Promise<{ listingIds: string[] }> {
  const { brandKey } = request;
  const listingIds = [...new Set(request.listingIds)];
  await db.writeTx(async (tx) => {
    const rows = await tx.run('verdicts/check', { listingIds });
    const refused = rows.filter((row) => !row.found || row.brandKey !== brandKey).map((row) => String(row.listingId));
    if (refused.length > 0) {
      throw new RingwatchError('LISTINGS_NOT_OF_BRAND', `${refused.length} of the listings are unknown or not listings of ${request.brand}`, { details: { listingIds: refused } });
    }
    await tx.run('verdicts/apply', {
      rows: listingIds.map((listingId) => ({ listingId, verdictId: `VD-${randomBase32(12)}` })),
      brand: request.keyBrand,
      brandKey,
      verdict: request.verdict,
      note: request.note ?? null,
      photoMaxListings: int(PHOTO_EVIDENCE_MAX_LISTINGS),
      keyId: actor.keyId,
      at: at.toISOString(),
    });
    await appendAuditEvent(tx, { ...actor, action: 'brand.verdicts', target: `brand:${brandKey}`, detail: { verdict: request.verdict, listings: listingIds.length } }, at);
  }, meta);
  return { listingIds };
}
