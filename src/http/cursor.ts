import type { AlertPosition, AlertSort } from '../alerts/alertReads.ts';
import { ALERT_ID_PATTERN } from '../vocabulary.ts';
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

/** The JSON array a cursor string carries, or null when it is not one this service could have made. */
function cursorArray(text: string): unknown[] | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    return Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

/** The cursor a string stands for, or null when it is not one this service made. */
export function decodeRingCursor(text: string): RingCursor | null {
  const value = cursorArray(text);
  if (!value || value.length !== 2) return null;
  const [riskScore, ringId] = value;
  if (typeof riskScore !== 'number' || !Number.isFinite(riskScore) || typeof ringId !== 'string' || !RING_ID_PATTERN.test(ringId)) return null;
  return { riskScore, ringId };
}

/**
 * Where a page of alerts ends, in the order it was read: newest first `["n", createdAt, alertId]`,
 * riskiest first `["r", riskScore, createdAt, alertId]`. The order is part of the cursor, so a
 * cursor of one order is refused by the other.
 */
export function encodeAlertCursor(sort: AlertSort, position: AlertPosition): string {
  const value = sort === 'risk' ? ['r', position.riskScore ?? 0, position.createdAt, position.alertId] : ['n', position.createdAt, position.alertId];
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** The position an alert cursor stands for in `sort` order, or null when it is not one this service made for it. */
export function decodeAlertCursor(text: string, sort: AlertSort): AlertPosition | null {
  const value = cursorArray(text);
  if (!value) return null;
  const isTime = (v: unknown): v is string => typeof v === 'string' && v.length <= 40 && !Number.isNaN(Date.parse(v)) && new Date(v).toISOString() === v;
  const isAlertId = (v: unknown): v is string => typeof v === 'string' && ALERT_ID_PATTERN.test(v);
  if (sort === 'newest') {
    const [tag, createdAt, alertId] = value;
    return value.length === 3 && tag === 'n' && isTime(createdAt) && isAlertId(alertId) ? { createdAt, alertId } : null;
  }
  const [tag, riskScore, createdAt, alertId] = value;
  if (value.length !== 4 || tag !== 'r' || typeof riskScore !== 'number' || !Number.isFinite(riskScore) || !isTime(createdAt) || !isAlertId(alertId)) return null;
  return { riskScore, createdAt, alertId };
}
