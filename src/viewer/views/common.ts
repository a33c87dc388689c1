import { ApiProblem } from '../api.ts';
import { el } from '../dom.ts';

/** Small pieces the pages share. */

export const riskText = (risk: number): string => risk.toFixed(1);

export const riskClass = (risk: number): string => (risk >= 60 ? 'risk-high' : risk >= 30 ? 'risk-mid' : 'risk-low');

export const badge = (text: string, className: string) => el('span', { class: `badge ${className}` }, text);

export function dateText(iso: string | null | undefined): string {
  if (!iso) return '—';
  return iso.slice(0, 10);
}

/** The message a failure shows: the service's own title and detail where it gave them. */
export function errorBox(error: unknown): HTMLElement {
  const text = error instanceof ApiProblem ? `${error.title} (${error.status}): ${error.detail}` : `Something failed: ${error instanceof Error ? error.message : String(error)}`;
  return el('p', { class: 'error', role: 'alert' }, text);
}

/** A fresh Idempotency-Key: random, so that only a retry of the same action repeats it. */
export const newIdempotencyKey = (): string => `viewer-${crypto.randomUUID()}`;
