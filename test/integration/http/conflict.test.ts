import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Dossier } from '../../../src/dossier/schema.ts';
import { call, problemOf, startHarness, type Harness } from './harness.ts';

// Random ids of 10 characters (closure and referral ids) can be made to collide, as two draws of
// the CSPRNG might: the second closure then breaks the uniqueness constraint on closureId.
const ids = vi.hoisted(() => ({ collide: false }));
vi.mock('../../../src/canonical.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../src/canonical.ts')>();
  return { ...actual, randomBase32: (length: number) => (ids.collide && length === 10 ? 'AAAAAAAAAA' : actual.randomBase32(length)) };
});

describe('a write that breaks a uniqueness constraint', () => {
  let h: Harness;
  let analyst: string;
  let RING_A: string;
  beforeAll(async () => {
    h = await startHarness();
    RING_A = h.market.rings.A;
    analyst = await h.key('analyst');
  });
  afterAll(async () => {
    ids.collide = false;
    await h.close();
  });

  const close = (sellerIds: string[], idempotencyKey: string) =>
    call(h.app, 'POST', `/v1/rings/${RING_A}/closures`, { token: analyst, body: { dryRun: false, reason: 'counterfeit', sellerIds }, headers: { 'idempotency-key': idempotencyKey } });

  it('is a 409 problem+json naming what would be doubled, not a 500, and changes nothing', async () => {
    ids.collide = true;
    const first = await close(['S-A1'], 'conflict-1');
    expect(first.status).toBe(201);
    expect(((await first.json()) as { closureId: string }).closureId).toBe('CL-AAAAAAAAAA');

    const second = await close(['S-A2'], 'conflict-2');
    expect(second.status).toBe(409);
    const problem = await problemOf(second);
    expect(problem).toMatchObject({ type: 'urn:ringwatch:problem:conflict', title: 'Conflict', status: 409 });
    expect(problem.detail).toContain('a second Closure with the same closureId');
    expect(problem.detail).not.toContain('AAAAAAAAAA');

    // The failed closure rolled back whole: S-A2 is open, and its Idempotency-Key is free again.
    const dossier = (await (await call(h.app, 'GET', `/v1/rings/${RING_A}`, { token: analyst })).json()) as Dossier;
    expect(dossier.members.find((m) => m.sellerId === 'S-A2')?.status).not.toBe('closed');
    expect(dossier.closures.map((c) => c.closureId)).toEqual(['CL-AAAAAAAAAA']);
    ids.collide = false;
    const retry = await close(['S-A2'], 'conflict-2');
    expect(retry.status).toBe(201);
  });
});
