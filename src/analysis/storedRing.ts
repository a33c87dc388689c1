/**
 * A ring as the last run left it in the store: what identity matching needs (its id and members)
 * and what an incremental run compares against to leave an unchanged ring alone, and what alerts
 * need to know about its past (its status and closures).
 */
import type { RingStatus } from '../vocabulary.ts';
import type { PreviousRing } from './identity.ts';

export interface StoredRing extends PreviousRing {
  status: RingStatus;
  riskScore: number;
  flagged: boolean;
  /** The factors as stored (JSON), compared as written. */
  factors: string;
  brands: readonly string[];
  /** Closures applied to it (not dry runs). */
  closures: number;
}
