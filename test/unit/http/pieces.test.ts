import { describe, expect, it } from 'vitest';
import { claimedKeyId, validateNewKey } from '../../../src/keys/apiKeys.ts';
import { auditEventHash, chainAuditEvent, GENESIS_HASH } from '../../../src/audit/auditLog.ts';
import { canonicalJson, randomBase32, sha256Hex } from '../../../src/canonical.ts';
import { loadApiConfig } from '../../../src/http/config.ts';
import { decodeRingCursor, encodeRingCursor } from '../../../src/http/cursor.ts';
import { maskKey } from '../../../src/dossier/dossier.ts';
import { TokenBuckets } from '../../../src/http/middleware/rateLimit.ts';
import { csv, escapeHtml } from '../../../src/evidence/evidencePackage.ts';

describe('TokenBuckets', () => {
  it('allows a burst, then one request per refill interval, per key', () => {
    let now = 0;
    const buckets = new TokenBuckets({ burst: 2, perSecond: 0.5, now: () => now });
    expect(buckets.take('a').allowed).toBe(true);
    expect(buckets.take('a').allowed).toBe(true);
    expect(buckets.take('a')).toEqual({ allowed: false, retryAfterSeconds: 2 });
    expect(buckets.take('b').allowed).toBe(true);
    now = 1000;
    expect(buckets.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    now = 2000;
    expect(buckets.take('a').allowed).toBe(true);
    now = 1_000_000;
    expect(buckets.take('a')).toEqual({ allowed: true, remaining: 1 });
  });

  it('forgets full buckets when there are too many', () => {
    let now = 0;
    const buckets = new TokenBuckets({ burst: 1, perSecond: 1, now: () => now, maxBuckets: 10 });
    for (let i = 0; i < 10; i++) buckets.take(`k${i}`);
    now = 5000;
    buckets.take('new');
    expect((buckets as unknown as { buckets: Map<string, unknown> }).buckets.size).toBeLessThanOrEqual(2);
  });
});

describe('ring cursors', () => {
  it('round-trips and refuses anything it did not make', () => {
    const cursor = { riskScore: 74.25, ringId: 'R-ABCDEFGH' };
    expect(decodeRingCursor(encodeRingCursor(cursor))).toEqual(cursor);
    for (const bad of ['', '!!', 'x'.repeat(300), Buffer.from('[1]').toString('base64url'), Buffer.from('["1","R-ABCDEFGH"]').toString('base64url'), Buffer.from('[1,"R-abc"]').toString('base64url'), Buffer.from('[null,"R-ABCDEFGH"]').toString('base64url')]) {
      expect(decodeRingCursor(bad), bad).toBeNull();
    }
  });
});

describe('canonical JSON and the audit hash', () => {
  it('sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[{"y":2,"z":1}]},"b":1}');
  });

  it('hashes every field of an event, prevHash included', () => {
    const event = { seq: 1, at: '2025-01-01T00:00:00.000Z', keyId: 'k', role: 'analyst', action: 'a', target: 't', requestId: 'r', detail: '{}', prevHash: GENESIS_HASH };
    const hash = auditEventHash(event);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    for (const field of Object.keys(event) as (keyof typeof event)[]) {
      const changed = { ...event, [field]: field === 'seq' ? 2 : `${String(event[field])}x` };
      expect(auditEventHash(changed), field).not.toBe(hash);
    }
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('chains events one after another: seq one more, prevHash the hash before, hashed as auditEventHash hashes', () => {
    const entry = { keyId: 'k', role: 'analyst', action: 'ring.dossier.read', target: 'R-AAAAAAAA', requestId: 'r1' };
    const at = new Date('2025-04-10T12:00:00Z');
    const first = chainAuditEvent({ seq: 0, hash: GENESIS_HASH }, entry, at);
    const second = chainAuditEvent(first, { ...entry, requestId: 'r2', detail: { b: 1, a: 2 } }, at);
    expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH, detail: '{}', at: '2025-04-10T12:00:00.000Z' });
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash, detail: '{"a":2,"b":1}' });
    for (const event of [first, second]) expect(auditEventHash(event)).toBe(event.hash);
  });

  it('makes base32 ids', () => {
    expect(randomBase32(10)).toMatch(/^[A-Z2-7]{10}$/);
  });
});

describe('API key checks', () => {
  it('reads the key id a token claims', () => {
    expect(claimedKeyId(`rw_abcdefgh2345_${'A'.repeat(43)}`)).toBe('abcdefgh2345');
    expect(claimedKeyId('rw_ABCDEFGH2345_x')).toBeNull();
    expect(claimedKeyId("' OR 1=1")).toBeNull();
  });

  it.each([
    [{ role: 'brand', name: 'n' }, /needs --brand/],
    [{ role: 'analyst', name: 'n', brand: 'Acme' }, /only for brand keys/],
    [{ role: 'agency', name: 'n' }, /needs --agency/],
    [{ role: 'root', name: 'n' }, /role must be/],
    [{ role: 'brand', name: 'n', brand: "x}) DETACH DELETE n //" }, /brand must be/],
    [{ role: 'analyst', name: ' ' }, /name must be/],
  ])('refuses %o', (input, reason) => {
    expect(() => validateNewKey(input as never)).toThrow(reason);
  });
});

describe('evidence text', () => {
  it('masks identifier keys to their last 4 characters', () => {
    expect(maskKey('acct:6222020200112233')).toBe('****2233');
    expect(maskKey('abc')).toBe('****');
  });

  it('writes CSV that a spreadsheet will not run as formulas', () => {
    expect(csv(['a', 'b'], [['=HYPERLINK("x")', 'plain'], ['a,b', null], [-5, '@cmd']])).toBe('a,b\r\n"\'=HYPERLINK(""x"")",plain\r\n"a,b",\r\n-5,\'@cmd\r\n');
  });

  it('escapes HTML', () => {
    expect(escapeHtml('<img src=x onerror="a">&\'')).toBe('&lt;img src=x onerror=&quot;a&quot;&gt;&amp;&#39;');
  });
});

describe('loadApiConfig', () => {
  it('has defaults and reads overrides', () => {
    const config = loadApiConfig({ RINGWATCH_DATA_DIR: '/tmp/rw', RINGWATCH_PORT: '9000', RINGWATCH_RATE_LIMIT_BURST: '5' });
    expect(config).toMatchObject({ dataDir: '/tmp/rw', port: 9000, host: '127.0.0.1', rateLimit: { burst: 5, perSecond: 20 } });
    expect(() => loadApiConfig({ RINGWATCH_PORT: 'http' })).toThrow(/RINGWATCH_PORT/);
  });

  it('reads the audit batch size and the key cache TTL (0 turns the cache off), refusing what is out of range', () => {
    expect(loadApiConfig({})).toMatchObject({ auditBatchMax: 256, keyCacheTtlMs: 30_000 });
    expect(loadApiConfig({ RINGWATCH_AUDIT_BATCH_MAX: '32', RINGWATCH_KEY_CACHE_TTL_MS: '0' })).toMatchObject({ auditBatchMax: 32, keyCacheTtlMs: 0 });
    expect(() => loadApiConfig({ RINGWATCH_AUDIT_BATCH_MAX: '0' })).toThrow(/RINGWATCH_AUDIT_BATCH_MAX/);
    expect(() => loadApiConfig({ RINGWATCH_KEY_CACHE_TTL_MS: '-1' })).toThrow(/RINGWATCH_KEY_CACHE_TTL_MS/);
  });
});
