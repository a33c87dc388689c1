import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { RingwatchError } from '../errors.ts';
import type { Db } from '../graph/db.ts';
import { brandKey } from '../vocabulary.ts';
import { appendAuditEvent } from '../audit/auditLog.ts';
import { randomBase32 } from '../canonical.ts';
import { ROLES, type Principal, type Role } from './principal.ts';
import { noteRevocationInThisProcess } from './revocations.ts';

/**
 * API keys. A token is `rw_<keyId>_<secret>`: the key id finds the stored key in one lookup, and
 * only the SHA-256 of the whole token is stored, compared in constant time. The token is shown
 * once, when the key is made. `serve` keeps verified keys briefly in memory (keyCache.ts); a
 * revocation moves a watermark in the same transaction, which is what lets every process drop
 * them in time.
 */

const TOKEN_PATTERN = /^rw_([a-z2-7]{12})_([A-Za-z0-9_-]{43})$/;
/** Brand and agency names: letters, digits and the punctuation real names use. */
export const SCOPE_NAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} &'.+_-]{0,63}$/u;

export interface NewApiKey {
  role: Role;
  name: string;
  brand?: string;
  agency?: string;
}

export interface CreatedApiKey {
  keyId: string;
  token: string;
  role: Role;
  name: string;
  brand: string | null;
  agency: string | null;
}

export interface ApiKeyInfo {
  keyId: string;
  role: Role;
  name: string;
  brand: string | null;
  agency: string | null;
  createdAt: string;
  revokedAt: string | null;
}

/** Case and spacing do not make another agency, as for brands. */
export const agencyKeyOf = (agency: string): string => brandKey(agency);
export const brandKeyOf = (brand: string): string => brandKey(brand);

/** The key id a token claims, without checking it: which stored key to check the secret against. */
export function claimedKeyId(token: string): string | null {
  return TOKEN_PATTERN.exec(token)?.[1] ?? null;
}

/** SHA-256 of the whole token: what is stored, and what a verified key is cached under. */
export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Checks a new key's role and scope: brand keys need a brand, agency keys an agency, others neither. */
export function validateNewKey(input: NewApiKey): void {
  if (!(ROLES as readonly string[]).includes(input.role)) throw new RingwatchError('INPUT_INVALID', `role must be one of ${ROLES.join(', ')}`);
  if (input.name.trim().length === 0 || input.name.length > 200) throw new RingwatchError('INPUT_INVALID', 'name must be 1 to 200 characters');
  if (input.role === 'brand' ? !input.brand : input.brand !== undefined) throw new RingwatchError('INPUT_INVALID', input.role === 'brand' ? 'a brand key needs --brand' : '--brand is only for brand keys');
  if (input.role === 'agency' ? !input.agency : input.agency !== undefined) throw new RingwatchError('INPUT_INVALID', input.role === 'agency' ? 'an agency key needs --agency' : '--agency is only for agency keys');
  for (const [what, value] of [['brand', input.brand], ['agency', input.agency]] as const) {
    if (value !== undefined && !SCOPE_NAME_PATTERN.test(value)) throw new RingwatchError('INPUT_INVALID', `${what} must be 1 to 64 letters, digits, spaces or & ' . + _ -`);
  }
}

/** Makes a key, stores its hash, audits it, and returns the token (the only time it is seen). */
export async function createApiKey(db: Db, input: NewApiKey, clock: () => Date, actor = 'cli'): Promise<CreatedApiKey> {
  validateNewKey(input);
  const keyId = randomBase32(12).toLowerCase();
  const token = `rw_${keyId}_${randomBytes(32).toString('base64url')}`;
  const at = clock();
  const requestId = `cli-${randomUUID()}`;
  await db.writeTx(async (tx) => {
    await tx.run('auth/create-key', {
      keyId,
      tokenHash: hashToken(token).toString('hex'),
      role: input.role,
      name: input.name,
      brand: input.brand ?? null,
      brandKey: input.brand ? brandKeyOf(input.brand) : null,
      agency: input.agency ?? null,
      agencyKey: input.agency ? agencyKeyOf(input.agency) : null,
      createdAt: at.toISOString(),
    });
    await appendAuditEvent(tx, { keyId: actor, role: 'admin', action: 'key.create', target: keyId, requestId, detail: { role: input.role } }, at);
  }, { app: 'keys:create' });
  return { keyId, token, role: input.role, name: input.name, brand: input.brand ?? null, agency: input.agency ?? null };
}

/** Every key, never its token or hash. */
export async function listApiKeys(db: Db): Promise<ApiKeyInfo[]> {
  const rows = await db.read('auth/list-keys', {}, { app: 'keys:list' });
  return rows.map((row) => ({
    keyId: String(row.keyId),
    role: row.role as Role,
    name: String(row.name),
    brand: (row.brand as string | null) ?? null,
    agency: (row.agency as string | null) ?? null,
    createdAt: String(row.createdAt),
    revokedAt: (row.revokedAt as string | null) ?? null,
  }));
}

/** Revokes a key at once; NOT_FOUND when there is no such key. */
export async function revokeApiKey(db: Db, keyId: string, clock: () => Date, actor = 'cli'): Promise<{ keyId: string; revokedAt: string }> {
  const at = clock();
  const revoked = await db.writeTx(async (tx) => {
    const [row] = await tx.run('auth/revoke-key', { keyId, at: at.toISOString() });
    if (!row) throw new RingwatchError('NOT_FOUND', `no API key ${keyId}`);
    await tx.run('auth/bump-revocations');
    await appendAuditEvent(tx, { keyId: actor, role: 'admin', action: 'key.revoke', target: keyId, requestId: `cli-${randomUUID()}` }, at);
    return { keyId: String(row.keyId), revokedAt: String(row.revokedAt) };
  }, { app: 'keys:revoke' });
  // This process's caches drop their keys before the revoker hears it is done.
  noteRevocationInThisProcess();
  return revoked;
}

// Compared against when the key id is unknown, so that the answer takes as long either way.
const DUMMY_HASH = Buffer.alloc(32);

/** The principal a token stands for, or null when it is malformed, unknown, wrong or revoked. */
export async function verifyApiToken(db: Db, token: string, requestId?: string): Promise<Principal | null> {
  const keyId = claimedKeyId(token);
  if (!keyId) return null;
  const [row] = await db.read('auth/find-key', { keyId }, { app: 'http:auth', requestId });
  const presented = hashToken(token);
  const stored = row ? Buffer.from(String(row.tokenHash), 'hex') : DUMMY_HASH;
  const same = stored.length === presented.length && timingSafeEqual(stored, presented);
  if (!row || !same || row.revokedAt !== null) return null;
  return {
    keyId,
    role: row.role as Role,
    name: String(row.name),
    brand: (row.brand as string | null) ?? null,
    brandKey: (row.brandKey as string | null) ?? null,
    agency: (row.agency as string | null) ?? null,
    agencyKey: (row.agencyKey as string | null) ?? null,
  };
}
