import { sign, verify, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Db } from '../graph/db.ts';
import { int } from '../graph/db.ts';
import type { Logger } from '../log.ts';
import { canonicalJson } from '../canonical.ts';
import { publicKeyFingerprint, type SigningKey } from '../evidence/signing.ts';
// auditLog.ts imports this module too; each uses the other's functions only when called.
import { lockAuditHead } from './auditLog.ts';

/**
 * Signed checkpoints of the audit chain. A hash chain alone proves only that its events agree
 * with one another: whoever can write to the database can cut its tail and rewind the head, empty
 * it, or recompute every hash after an edit, and the chain still agrees with itself. A checkpoint
 * is the head (seq and hash) at a moment, signed with the service's Ed25519 key, which the
 * database does not hold. Copies leave the database (every evidence package carries the latest,
 * `/v1/transparency` publishes it, the service keeps one in its data folder, `ringwatch audit
 * checkpoint` exports it), so a chain that no longer extends a checkpoint someone holds is caught
 * by `ringwatch audit verify`, whatever was done to the database. What a checkpoint cannot cover
 * is what happened after it: at most the last second of events before an attack.
 */

/** The `format` of every checkpoint; part of the signed bytes, so a checkpoint is never read as anything else. */
export const CHECKPOINT_FORMAT = 'ringwatch-audit-checkpoint/1';

/** A checkpoint is taken at most this often, and only when the chain moved. */
export const CHECKPOINT_INTERVAL_MS = 1000;

/** Where the service keeps the latest checkpoint it made, inside its data folder. */
export const LOCAL_CHECKPOINT_FILE = 'audit-checkpoint.json';

export const AuditCheckpointSchema = z
  .object({
    format: z.literal(CHECKPOINT_FORMAT),
    seq: z.number().int().min(1),
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    at: z.string().datetime(),
    keyFingerprint: z.string().regex(/^SHA256:[0-9a-f]{64}$/),
    signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'a base64 Ed25519 signature'),
  })
  .strict();

export type AuditCheckpoint = z.infer<typeof AuditCheckpointSchema>;

/** The bytes a checkpoint's signature covers: every other field, as canonical JSON. */
function signedBytes(checkpoint: Omit<AuditCheckpoint, 'signature'>): Buffer {
  const { format, seq, hash, at, keyFingerprint } = checkpoint;
  return Buffer.from(canonicalJson({ format, seq, hash, at, keyFingerprint }), 'utf8');
}

/** Signs the head `seq`/`hash` as of `at`. */
export function signCheckpoint(head: { seq: number; hash: string }, at: Date, signingKey: SigningKey): AuditCheckpoint {
  const unsigned = { format: CHECKPOINT_FORMAT, seq: head.seq, hash: head.hash, at: at.toISOString(), keyFingerprint: signingKey.fingerprint } as const;
  return { ...unsigned, signature: sign(null, signedBytes(unsigned), signingKey.privateKey).toString('base64') };
}

/** Why `checkpoint` is not signed by `trustedKey`, or null when it is. */
export function checkpointSignatureProblem(checkpoint: AuditCheckpoint, trustedKey: KeyObject): string | null {
  const fingerprint = publicKeyFingerprint(trustedKey);
  if (checkpoint.keyFingerprint !== fingerprint) return `it names the key ${checkpoint.keyFingerprint}, not the trusted key ${fingerprint}`;
  if (!verify(null, signedBytes(checkpoint), trustedKey, Buffer.from(checkpoint.signature, 'base64'))) return 'its signature does not match its content';
  return null;
}

/** Reads a checkpoint from JSON text; the reason when it is not one. */
export function parseCheckpoint(text: string): AuditCheckpoint | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  const parsed = AuditCheckpointSchema.safeParse(value);
  return parsed.success ? parsed.data : `not a ${CHECKPOINT_FORMAT}: ${parsed.error.issues.map((i) => i.path.join('.') || i.message).join(', ')}`;
}

const rowToCheckpoint = (row: Record<string, unknown>): AuditCheckpoint => ({
  format: CHECKPOINT_FORMAT,
  seq: Number(row.seq),
  hash: String(row.hash),
  at: String(row.at),
  keyFingerprint: String(row.keyFingerprint),
  signature: String(row.signature),
});

/** The newest checkpoint stored in the database, or null before the first. */
export async function latestCheckpoint(db: Db, requestId?: string): Promise<AuditCheckpoint | null> {
  const [row] = await db.read('audit/checkpoint-latest', {}, { app: 'audit:checkpoint', requestId });
  return row ? rowToCheckpoint(row) : null;
}

/** Every stored checkpoint in seq order, streamed (one a second at most, so they add up). */
export async function* storedCheckpoints(db: Db): AsyncGenerator<AuditCheckpoint> {
  for await (const row of db.stream('audit/checkpoints-in-order', {}, { app: 'audit:verify' })) yield rowToCheckpoint(row);
}

export interface CheckpointOptions {
  db: Db;
  signingKey: SigningKey;
  clock: () => Date;
  /** The service's data folder: the latest checkpoint is also kept there, out of the database's reach. */
  dataDir?: string;
  requestId?: string;
}

/**
 * The checkpoint of the chain as it is now: a new one, signed and stored, when the chain moved
 * since the latest and that one is at least a second old; else the latest. Null while the chain
 * is empty. Two processes checkpointing the same head store it once (unique seq).
 */
export async function takeCheckpoint({ db, signingKey, clock, dataDir, requestId }: CheckpointOptions): Promise<AuditCheckpoint | null> {
  // First a plain read: the timer calls this once a second, and an idle chain owes nothing.
  const seen = await db.readTx(async (tx) => {
    const [headRow] = await tx.run('audit/head');
    const [latestRow] = await tx.run('audit/checkpoint-latest');
    return { seq: headRow?.seq === null || headRow?.seq === undefined ? 0 : Number(headRow.seq), latest: latestRow ? rowToCheckpoint(latestRow) : null };
  }, { app: 'audit:checkpoint', requestId });
  const now = clock();
  const due = (seq: number, latest: AuditCheckpoint | null) => seq > 0 && !(latest && (latest.seq >= seq || now.getTime() - Date.parse(latest.at) < CHECKPOINT_INTERVAL_MS));
  if (!due(seen.seq, seen.latest)) return seen.latest;
  // The pair to sign is read under the head's lock, as an append reads it. Read without it while a
  // batch commits, nothing Neo4j promises (read committed) makes its `seq` and `hash`, two
  // properties, come from one commit, and a checkpoint signing a mixed pair names an event the
  // chain does not hold, which `audit verify` reports as a rewrite.
  const { head, latest } = await db.writeTx(async (tx) => {
    const locked = await lockAuditHead(tx, requestId ?? 'audit:checkpoint');
    const [latestRow] = await tx.run('audit/checkpoint-latest');
    return { head: locked, latest: latestRow ? rowToCheckpoint(latestRow) : null };
  }, { app: 'audit:checkpoint', requestId });
  const seq = head.seq;
  if (!due(seq, latest)) return latest;
  const checkpoint = signCheckpoint({ seq, hash: head.hash }, now, signingKey);
  const [stored] = await db.write('audit/checkpoint-write', { ...checkpoint, seq: int(checkpoint.seq) }, { app: 'audit:checkpoint', requestId });
  const kept = stored ? rowToCheckpoint(stored) : checkpoint;
  if (dataDir) keepLocalCheckpoint(dataDir, kept);
  return kept;
}

/** Writes `checkpoint` to the data folder unless the one there is newer (temporary file, then rename). */
export function keepLocalCheckpoint(dataDir: string, checkpoint: AuditCheckpoint): void {
  const current = readLocalCheckpoint(dataDir);
  if (typeof current === 'object' && current !== null && current.seq >= checkpoint.seq) return;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, LOCAL_CHECKPOINT_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(checkpoint, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

/** The checkpoint kept in the data folder: null when there is none, the reason when it is unreadable. */
export function readLocalCheckpoint(dataDir: string): AuditCheckpoint | string | null {
  let text: string;
  try {
    text = readFileSync(join(dataDir, LOCAL_CHECKPOINT_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return (error as Error).message;
  }
  return parseCheckpoint(text);
}

/**
 * Takes a checkpoint every second while the process runs (for `serve`); a failure (Neo4j away) is
 * logged and tried again on the next tick. Returns the function that stops it.
 */
export function checkpointEverySecond(options: CheckpointOptions & { logger: Logger }): () => Promise<void> {
  let running: Promise<void> | null = null;
  // Said once when checkpoints start failing (Neo4j away) and once when they work again, not every second.
  let failing = false;
  const timer = setInterval(() => {
    if (running) return; // a slow database: one checkpoint at a time
    running = takeCheckpoint(options)
      .then(() => {
        if (failing) options.logger.info('audit checkpoints work again');
        failing = false;
      })
      .catch((error: unknown) => {
        if (!failing) options.logger.warn({ err: (error as Error).message }, 'audit checkpoint failed; trying again every second');
        failing = true;
      })
      .finally(() => {
        running = null;
      });
  }, CHECKPOINT_INTERVAL_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
