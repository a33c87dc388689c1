import { RING_ID_PATTERN } from './schemas.ts';

/** Where a page of rings ends: the last (riskScore, ringId) the client saw. */
export interface RingCursor {
  riskScore: number;
  ringId: string;
}

/** Opaque to clients: base64url of the JSON pair. */
export function encodeRingCursor(cursor: RingCursor): string {
  return Buffer.from(JSON.stringify([cursor.riskScore, cursor.ringId]), 'utf8').toString('base64url');
}

/** The cursor a string stands for, or null when it is not one this service made. */
export function decodeRingCursor(text: string): RingCursor | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [riskScore, ringId] = value as unknown[];
    if (typeof riskScore !== 'number' || !Number.isFinite(riskScore) || typeof ringId !== 'string' || !RING_ID_PATTERN.test(ringId)) return null;
    return { riskScore, ringId };
  } catch {
    return null;
  }
}
