import { appendAuditEvent, auditEventsFor, recordAuditEvent, type AuditActor } from '../audit/auditLog.ts';
import { takeCheckpoint } from '../audit/checkpoints.ts';
import { randomBase32, sha256Hex } from '../canonical.ts';
import { loadDossierAndGraph } from '../dossier/dossier.ts';
import { RingwatchError } from '../errors.ts';
import { buildEvidencePackage, packageName } from '../evidence/evidencePackage.ts';
import type { PackageStore } from '../evidence/packageStore.ts';
import type { SigningKey } from '../evidence/signing.ts';
import type { Db, Row, TxMeta } from '../graph/db.ts';
import { agencyKeyOf } from '../keys/apiKeys.ts';
import type { Principal } from '../keys/principal.ts';
import { idempotencyKeyReused, idempotencyScope, requestHashOf } from './idempotency.ts';

/**
 * Law-enforcement referrals: a ring referred to an agency with a signed evidence package, built
 * once at referral time and stored; the agency's keys download it (docs/api.md, "Evidence
 * packages"). A referral happens once per Idempotency-Key.
 */

/** Most audit events an evidence package quotes. */
const AUDIT_EXCERPT_LIMIT = 1000;

export interface ReferralRequest {
  ringId: string;
  agency: string;
  caseReference: string;
  idempotencyKey: string;
}

export interface ReferralContext {
  db: Db;
  store: PackageStore;
  signingKey: SigningKey;
  clock: () => Date;
  /** The service's data folder, where the latest audit checkpoint is kept too. */
  dataDir: string;
  /** Most listings the package's dossier carries. */
  dossierListingLimit: number;
  actor: AuditActor;
  meta: TxMeta;
}

/** A referral made, or (`replayed`) the one an earlier request with the same Idempotency-Key made. */
export interface Referral {
  referralId: string;
  agency: string;
  packageSha256: string;
  replayed: boolean;
}

/**
 * Refers `request.ringId` to `request.agency`: builds and stores the evidence package (the
 * analyst's dossier, the graph, the audit events about the ring and the latest signed checkpoint),
 * then records the referral with the package's hash and audits it. RING_NOT_FOUND when there is no
 * such ring; IDEMPOTENCY_KEY_REUSED when the key was used with another request.
 */
export async function referRing(context: ReferralContext, request: ReferralRequest): Promise<Referral> {
  const { db, store, signingKey, clock, actor, meta } = context;
  const { ringId, agency, caseReference, idempotencyKey } = request;
  const scope = idempotencyScope(actor.keyId, idempotencyKey);
  const requestHash = requestHashOf({ ringId, agency, caseReference });
  const replay = async (row: Row): Promise<Referral> => {
    if (row.requestHash !== requestHash) throw idempotencyKeyReused();
    await recordAuditEvent(db, { ...actor, action: 'ring.referral.replay', target: ringId, detail: { referralId: row.referralId } }, clock());
    return { referralId: String(row.referralId), agency: String(row.agency), packageSha256: String(row.packageSha256), replayed: true };
  };
  // A repeat finds its referral without building a package; requests racing with one key are
  // settled by the claim in referrals/create.
  const [existing] = await db.read('referrals/find-by-scope', { scope }, meta);
  if (existing) return replay(existing);

  const read = await loadDossierAndGraph(db, ringId, context.dossierListingLimit, meta);
  if (!read) throw ringNotFound(ringId);
  const { dossier, graph } = read;
  const auditExcerpt = await auditEventsFor(db, [ringId], AUDIT_EXCERPT_LIMIT, meta.requestId);
  const auditCheckpoint = await takeCheckpoint({ db, signingKey, clock, dataDir: context.dataDir, requestId: meta.requestId });
  const referralId = `RF-${randomBase32(10)}`;
  const createdAt = clock();
  const bytes = buildEvidencePackage({
    referral: { referralId, ringId, agency, caseReference, createdAt, referredBy: actor.keyId },
    dossier,
    graph,
    auditExcerpt,
    auditCheckpoint,
    signingKey,
  });
  const packageSha256 = sha256Hex(bytes);
  const file = store.write(`${packageName(referralId)}.zip`, bytes);
  let claim: Row;
  try {
    claim = await db.writeTx(async (tx) => {
      const [row] = await tx.run('referrals/create', {
        referralId,
        ringId,
        agency,
        agencyKey: agencyKeyOf(agency),
        caseReference,
        packageSha256,
        packageFile: file,
        packageBytes: bytes.length,
        createdAt: createdAt.toISOString(),
        keyId: actor.keyId,
        scope,
        idempotencyKey,
        requestHash,
      });
      // The ring vanished between reading and writing (a detection run replaced it).
      if (!row) throw ringNotFound(ringId);
      if (row.created) await appendAuditEvent(tx, { ...actor, action: 'ring.referral', target: ringId, detail: { referralId, agency, packageSha256 } }, createdAt);
      return row;
    }, meta);
  } catch (error) {
    store.remove(file);
    throw error;
  }
  if (!claim.created) {
    store.remove(file);
    return replay(claim);
  }
  return { referralId, agency, packageSha256, replayed: false };
}

/** A referral's stored package as the caller may download it. */
export type ReferralPackage =
  | { kind: 'found'; bytes: Buffer; file: string; packageSha256: string; ringId: string }
  /** The file is gone or no longer matches the hash recorded at referral time. */
  | { kind: 'damaged' };

/**
 * The package of `referralId` as `reader` may download it: an agency its own referrals', an analyst
 * any. Null when there is no such referral or it is another agency's: the two are answered alike.
 */
export async function readReferralPackage(db: Db, store: PackageStore, referralId: string, reader: Principal, meta: TxMeta): Promise<ReferralPackage | null> {
  const [referral] = await db.read('referrals/find', { referralId }, meta);
  if (!referral || (reader.role === 'agency' && referral.agencyKey !== reader.agencyKey)) return null;
  const bytes = store.read(String(referral.packageFile));
  if (!bytes || sha256Hex(bytes) !== referral.packageSha256) return { kind: 'damaged' };
  return { kind: 'found', bytes, file: String(referral.packageFile), packageSha256: String(referral.packageSha256), ringId: String(referral.ringId) };
}

function ringNotFound(ringId: string): RingwatchError {
  return new RingwatchError('RING_NOT_FOUND', `there is no ring ${ringId}`);
}
