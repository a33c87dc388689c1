import { describe, expect, it } from 'vitest';
import { raiseAlerts, type RingForAlerts } from '../../../src/alerts/raise.ts';
import type { StoredRing } from '../../../src/analysis/storedRing.ts';

const run = () => {
  let n = 0;
  return { runId: 'run-2', createdAt: '2026-12-03T10:00:00.000Z', newAlertId: () => `AL-TEST${String(++n).padStart(8, '0')}` };
};
const stored = (ringId: string, sellerIds: string[], extra: Partial<StoredRing> = {}): StoredRing => ({
  ringId, sellerIds, status: 'open', riskScore: 80, flagged: true, factors: '[]', brands: [], closures: 0, ...extra,
});
const member = (sellerId: string, reportedRingId: string | null, closedBefore = false) => ({ sellerId, reportedRingId, closedBefore });

/**
 * Ring R: stores A, B, C were reported in it; D and E are new. D shares account 1 with A; E shares
 * phone 2 with D only.
 */
function ringR(overrides: Partial<RingForAlerts> = {}): RingForAlerts {
  return {
    ringId: 'R-AAAAAAAA',
    continues: stored('R-AAAAAAAA', ['A', 'B', 'C']),
    flagged: true,
    members: [member('A', 'R-AAAAAAAA'), member('B', 'R-AAAAAAAA'), member('C', 'R-AAAAAAAA'), member('D', null), member('E', null)],
    sharedIdentifiers: [
      { kind: 'phone', key: '+8613800000002', sellerIds: ['D', 'E'] },
      { kind: 'paymentAccount', key: '6222000011110000', sellerIds: ['A', 'B', 'D'] },
      { kind: 'address', key: 'cn|guangzhou|8 market road|room:101', sellerIds: ['A', 'B', 'C'] },
    ],
    ...overrides,
  };
}

describe('raiseAlerts', () => {
  it('raises ring_growth for the newcomers of a flagged ring, with the identifiers tying them to its earlier stores', () => {
    const { alerts, reported } = raiseAlerts([ringR()], run());
    expect(alerts).toEqual([
      {
        alertId: 'AL-TEST00000001',
        kind: 'ring_growth',
        ringId: 'R-AAAAAAAA',
        sellerIds: ['D', 'E'],
        createdAt: '2026-12-03T10:00:00.000Z',
        runId: 'run-2',
        evidence: [{ kind: 'paymentAccount', key: '6222000011110000', sellerIds: ['A', 'B', 'D'] }],
      },
    ]);
    expect(reported).toEqual([{ ringId: 'R-AAAAAAAA', sellerIds: ['D', 'E'] }]);
  });

  it('raises nothing when every member was reported in the ring before', () => {
    const ring = ringR({ members: ['A', 'B', 'C', 'D', 'E'].map((id) => member(id, 'R-AAAAAAAA')) });
    expect(raiseAlerts([ring], run())).toEqual({ alerts: [], reported: [] });
  });

  it('calls every open newcomer of a ring with a closure recidivism, and not growth as well', () => {
    const ring = ringR({ continues: stored('R-AAAAAAAA', ['A', 'B', 'C'], { status: 'closed', closures: 1 }) });
    const { alerts } = raiseAlerts([ring], run());
    expect(alerts.map((a) => [a.kind, a.sellerIds])).toEqual([['recidivism', ['D', 'E']]]);
  });

  it('calls the newcomers of a ring with a closed member recidivism, and in a new ring those tied to it', () => {
    // The marketplace closed B before; D shares account 1 with it, E does not share anything with B.
    const ring = ringR({ members: [member('A', 'R-AAAAAAAA'), member('B', 'R-AAAAAAAA', true), member('C', 'R-AAAAAAAA'), member('D', null), member('E', null)] });
    // B closed before: the ring had a closure, so both are recidivists.
    expect(raiseAlerts([ring], run()).alerts.map((a) => [a.kind, a.sellerIds])).toEqual([['recidivism', ['D', 'E']]]);
    // In a new ring (no earlier closure to join), only the stores tied to the closed one are: A and C
    // share the address with B, D the account; E shares only a phone with D.
    const fresh = { ...ring, continues: undefined, members: ring.members.map((m) => ({ ...m, reportedRingId: null })) };
    const { alerts } = raiseAlerts([fresh], run());
    expect(alerts.map((a) => [a.kind, a.sellerIds])).toEqual([['recidivism', ['A', 'C', 'D']], ['new_ring', ['A', 'B', 'C', 'D', 'E']]]);
    expect(alerts[0]!.evidence.map((e) => e.kind)).toEqual(['paymentAccount', 'address']);
  });

  it('raises new_ring only for a flagged ring that continues none, and growth only where the ring matters', () => {
    const unflaggedNew = { ...ringR(), continues: undefined, flagged: false };
    const unflaggedOpen = { ...ringR(), flagged: false, continues: stored('R-AAAAAAAA', ['A', 'B', 'C'], { flagged: false }) };
    const unflaggedReferred = { ...ringR(), flagged: false, continues: stored('R-AAAAAAAA', ['A', 'B', 'C'], { flagged: false, status: 'referred' }) };
    expect(raiseAlerts([unflaggedNew], run()).alerts).toEqual([]);
    expect(raiseAlerts([unflaggedOpen], run()).alerts).toEqual([]);
    expect(raiseAlerts([unflaggedReferred], run()).alerts.map((a) => a.kind)).toEqual(['ring_growth']);
    // Still reported, so that a later flag does not turn old members into news.
    expect(raiseAlerts([unflaggedOpen], run()).reported).toEqual([{ ringId: 'R-AAAAAAAA', sellerIds: ['D', 'E'] }]);
  });

  it('does not alert on a newcomer that is itself a closed store', () => {
    const ring = ringR({ members: [member('A', 'R-AAAAAAAA'), member('B', 'R-AAAAAAAA'), member('C', 'R-AAAAAAAA'), member('D', null, true), member('E', null)] });
    const { alerts } = raiseAlerts([ring], run());
    expect(alerts.map((a) => [a.kind, a.sellerIds])).toEqual([['recidivism', ['E']]]);
  });
});
