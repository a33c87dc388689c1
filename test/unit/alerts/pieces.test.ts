import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newAlertId, parseEvidence } from '../../../src/alerts/alertStore.ts';
import { alertViewerOf, evidenceFor } from '../../../src/alerts/alertReads.ts';
import { cypher } from '../../../src/graph/cypher.ts';
import { decodeAlertCursor, encodeAlertCursor } from '../../../src/http/cursor.ts';
import { maskKey } from '../../../src/dossier/dossier.ts';
import { ALERT_ID_PATTERN } from '../../../src/vocabulary.ts';
import { PROJECT_ROOT } from '../../../src/projectRoot.ts';

describe('alert ids', () => {
  it('are AL- and 12 base32 characters, fresh each time', () => {
    const ids = new Set(Array.from({ length: 1000 }, newAlertId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(ALERT_ID_PATTERN);
  });
});

describe('alert cursors', () => {
  it('round-trip in their own order and are refused in the other, or when forged', () => {
    const newest = { createdAt: '2025-06-01T10:00:00.123Z', alertId: 'AL-ABCDEFGHIJKL' };
    expect(decodeAlertCursor(encodeAlertCursor('newest', newest), 'newest')).toEqual(newest);
    const risk = { riskScore: 87.25, createdAt: '2025-06-01T10:00:00.123Z', alertId: 'AL-ABCDEFGHIJKL' };
    expect(decodeAlertCursor(encodeAlertCursor('risk', risk), 'risk')).toEqual(risk);
    expect(decodeAlertCursor(encodeAlertCursor('risk', risk), 'newest')).toBeNull();
    expect(decodeAlertCursor(encodeAlertCursor('newest', newest), 'risk')).toBeNull();
    const forge = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    expect(decodeAlertCursor(forge(['n', '2025-06-01', 'AL-ABCDEFGHIJKL']), 'newest')).toBeNull();
    expect(decodeAlertCursor(forge(['n', '2025-06-01T10:00:00.123Z', "x' OR 1=1"]), 'newest')).toBeNull();
    expect(decodeAlertCursor(forge(['r', 'high', '2025-06-01T10:00:00.123Z', 'AL-ABCDEFGHIJKL']), 'risk')).toBeNull();
    expect(decodeAlertCursor('!!!', 'newest')).toBeNull();
    expect(decodeAlertCursor('e30', 'newest')).toBeNull();
  });
});

describe('alert evidence', () => {
  it('reads back what was stored, leaving out what is not evidence', () => {
    const json = JSON.stringify([{ kind: 'paymentAccount', key: '6222000011110000', sellerIds: ['S1', 'S2'] }, { kind: 'bogus', key: 'x' }, 'junk']);
    expect(parseEvidence(json)).toEqual([{ kind: 'paymentAccount', key: '6222000011110000', sellerIds: ['S1', 'S2'] }]);
    expect(parseEvidence('not json')).toEqual([]);
    expect(parseEvidence(null)).toEqual([]);
  });

  it('is masked for brands exactly as their dossiers mask identifiers, and whole for agencies and analysts', () => {
    const evidence = [{ kind: 'phone' as const, key: '+8613800138000', sellerIds: ['S1'] }];
    const brand = alertViewerOf({ brandKey: 'acme', agencyKey: null });
    expect(evidenceFor(brand, evidence)).toEqual([{ kind: 'phone', key: maskKey('+8613800138000'), sellerIds: ['S1'] }]);
    expect(evidenceFor(brand, evidence)[0]?.key).toBe('****8000');
    expect(evidenceFor(alertViewerOf({ brandKey: null, agencyKey: 'nca' }), evidence)[0]?.key).toBe('+8613800138000');
    expect(evidenceFor(alertViewerOf({ brandKey: null, agencyKey: null }), evidence)[0]?.key).toBe('+8613800138000');
  });
});

describe('the alert reads', () => {
  it('scope alerts with the same lines in every statement of cypher/alerts/ that reads them', () => {
    const files = readdirSync(join(PROJECT_ROOT, 'cypher', 'alerts')).filter((f) => f.endsWith('.cypher') && /^(list-|by-ids)/.test(f));
    expect(files.sort()).toEqual(['by-ids.cypher', 'list-newest.cypher', 'list-riskiest.cypher']);
    const scopeLines = (name: string) =>
      cypher(`alerts/${name.replace(/\.cypher$/, '')}`)
        .split('\n')
        .filter((line) => !line.trimStart().startsWith('//') && /\$(brandKey|agencyKey|kinds|since)\b/.test(line))
        .map((line) => line.trim().replace(/^(WHERE|AND) /, ''));
    const reference = scopeLines('list-newest.cypher');
    expect(reference).toHaveLength(4);
    for (const file of files) expect(scopeLines(file), file).toEqual(reference);
  });
});
