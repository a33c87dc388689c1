import type { Db } from '../graph/db.ts';

/**
 * How a revocation reaches the key caches (keyCache.ts). In the process that revokes, at once:
 * `revokeApiKey` counts it here, and every cache of this process compares the count before it
 * answers from memory. In every other process, within a second: the revoking transaction moves a
 * watermark in the database (cypher/auth/bump-revocations.cypher), which caches read in the
 * background and drop everything when it has moved.
 */

let revocationsInThisProcess = 0;

/** Called by `revokeApiKey` once the revocation is committed. */
export function noteRevocationInThisProcess(): void {
  revocationsInThisProcess += 1;
}

/** How many revocations this process has made so far (a cache compares it with the count it last saw). */
export function revocationCountInThisProcess(): number {
  return revocationsInThisProcess;
}

/** The database's revocation watermark: it changes with every revocation, in any process. */
export async function readRevocationWatermark(db: Db, requestId?: string): Promise<number> {
  const [row] = await db.read('auth/revocations', {}, { app: 'http:auth:revocations', requestId });
  return Number(row?.version ?? 0);
}
