import { createHmac, timingSafeEqual } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addressRefusal, hostRefusal } from '../../../src/webhooks/addressGuard.ts';
import { afterFailure, GIVE_UP_AFTER_MS, MAX_RETRY_INTERVAL_MS, retryDelayMs } from '../../../src/webhooks/retrySchedule.ts';
import { newWebhookSecret, signatureHeader } from '../../../src/webhooks/signature.ts';
import { parseEvents, parseWebhookUrl } from '../../../src/webhooks/webhooks.ts';
import { loadApiConfig } from '../../../src/http/config.ts';
import { WEBHOOK_DISPATCHER_DEFAULTS } from '../../../src/webhooks/dispatcherConfig.ts';

describe('the SSRF guard', () => {
  it('refuses every address that is not public unicast, v4 and v6, IPv4-mapped included', () => {
    const refused: Record<string, RegExp> = {
      '127.0.0.1': /loopback/,
      '127.8.9.10': /loopback/,
      '10.1.2.3': /private/,
      '172.16.0.1': /private/,
      '192.168.1.1': /private/,
      '169.254.169.254': /link-local/,
      '100.64.0.1': /carrier-grade NAT/,
      '224.0.0.251': /multicast/,
      '255.255.255.255': /broadcast/,
      '0.0.0.0': /unspecified/,
      '192.0.2.7': /reserved/,
      '::1': /loopback/,
      '::': /unspecified/,
      'fe80::1': /link-local/,
      'fc00::1': /unique-local/,
      'fd12:3456::1': /unique-local/,
      'ff02::1': /multicast/,
      '::ffff:127.0.0.1': /loopback/,
      '::ffff:10.0.0.1': /private/,
      '::ffff:a9fe:a9fe': /link-local/,
      '64:ff9b::a00:1': /rfc6052/,
      '2002:a00:1::1': /6to4/,
    };
    for (const [address, why] of Object.entries(refused)) expect(addressRefusal(address), address).toMatch(why);
    for (const address of ['8.8.8.8', '93.184.216.34', '2606:4700:4700::1111', '::ffff:8.8.8.8']) expect(addressRefusal(address), address).toBeNull();
    expect(addressRefusal('not-an-ip')).toMatch(/not an IP address/);
  });

  it('judges a host name by every address it resolves to, and an IP literal by itself', async () => {
    const resolver = (answers: Record<string, string[]>) => async (host: string) => {
      const list = answers[host];
      if (!list) throw Object.assign(new Error('no such host'), { code: 'ENOTFOUND' });
      return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    };
    const resolve = resolver({ 'public.example': ['93.184.216.34'], 'mixed.example': ['93.184.216.34', '10.0.0.5'], 'v6.example': ['::1'] });
    expect(await hostRefusal(new URL('https://public.example/hook'), resolve)).toBeNull();
    expect(await hostRefusal(new URL('https://mixed.example/hook'), resolve)).toMatch(/mixed\.example resolves to 10\.0\.0\.5 is a private address/);
    expect(await hostRefusal(new URL('https://v6.example/hook'), resolve)).toMatch(/loopback/);
    expect(await hostRefusal(new URL('https://nowhere.example/hook'), resolve)).toMatch(/does not resolve \(ENOTFOUND\)/);
    expect(await hostRefusal(new URL('http://[::ffff:7f00:1]:8080/'), resolve)).toMatch(/loopback/);
    expect(await hostRefusal(new URL('http://8.8.8.8/'), resolve)).toBeNull();
  });
});

describe('webhook URLs and events', () => {
  it('takes http and https only, without credentials', () => {
    expect(parseWebhookUrl('https://hooks.example.com/ringwatch').href).toBe('https://hooks.example.com/ringwatch');
    expect(() => parseWebhookUrl('ftp://hooks.example.com/')).toThrow(/http:\/\/ or https:\/\//);
    expect(() => parseWebhookUrl('file:///etc/passwd')).toThrow(/http:\/\/ or https:\/\//);
    expect(() => parseWebhookUrl('https://user:pw@hooks.example.com/')).toThrow(/user name or password/);
    expect(() => parseWebhookUrl('not a url')).toThrow(/not a URL/);
  });

  it('reads a comma-separated list of alert kinds, in the vocabulary order, each once', () => {
    expect(parseEvents('new_ring, recidivism,recidivism')).toEqual(['recidivism', 'new_ring']);
    expect(() => parseEvents('recidivism,closure')).toThrow(/recidivism, ring_growth, new_ring/);
    expect(() => parseEvents(' , ')).toThrow(/alert kinds/);
  });
});

describe('the signature', () => {
  it('is Stripe\'s scheme: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const body = '{"id":"e1","type":"recidivism"}';
    const header = signatureHeader(secret, new Date('2025-06-01T10:00:00.900Z'), body);
    const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
    expect(match?.[1]).toBe(String(Date.parse('2025-06-01T10:00:00Z') / 1000));
    const expected = createHmac('sha256', secret).update(`${match?.[1]}.${body}`).digest();
    expect(timingSafeEqual(Buffer.from(match?.[2] ?? '', 'hex'), expected)).toBe(true);
    expect(signatureHeader(secret, new Date('2025-06-01T10:00:00Z'), `${body} `)).not.toBe(header);
  });
});

describe('the retry schedule', () => {
  const half = () => 0;
  const full = () => 1;

  it('retries first within 10 s, then doubling up to an hour between attempts', () => {
    expect(retryDelayMs(1, 5_000, full)).toBe(5_000);
    expect(retryDelayMs(1, 5_000, half)).toBe(2_500);
    expect(retryDelayMs(2, 5_000, full)).toBe(10_000);
    expect(retryDelayMs(5, 5_000, full)).toBe(80_000);
    expect(retryDelayMs(40, 5_000, full)).toBe(MAX_RETRY_INTERVAL_MS);
  });

  it('gives up 24 hours after the first attempt, with a last attempt at that mark', () => {
    const first = new Date('2025-06-01T00:00:00Z');
    const options = { baseMs: 5_000, rng: full };
    expect(afterFailure(1, first, first, options)).toEqual({ status: 'pending', nextAttemptAt: new Date(first.getTime() + 5_000) });
    const nearEnd = new Date(first.getTime() + GIVE_UP_AFTER_MS - 60_000);
    expect(afterFailure(30, first, nearEnd, options)).toEqual({ status: 'pending', nextAttemptAt: new Date(first.getTime() + GIVE_UP_AFTER_MS) });
    expect(afterFailure(31, first, new Date(first.getTime() + GIVE_UP_AFTER_MS), options)).toEqual({ status: 'failed' });
    // Walking the schedule with the longest waits: about 30 attempts in a day.
    let now = first;
    let attempts = 1;
    for (;;) {
      const next = afterFailure(attempts, first, now, options);
      if (next.status === 'failed') break;
      now = next.nextAttemptAt;
      attempts += 1;
    }
    expect(attempts).toBeGreaterThan(25);
    expect(attempts).toBeLessThan(40);
  });
});

describe('the dispatcher settings', () => {
  it('come from RINGWATCH_WEBHOOK_* with defaults, and refuse a first retry later than 10 s', () => {
    expect(loadApiConfig({}).webhooks).toEqual(WEBHOOK_DISPATCHER_DEFAULTS);
    expect(WEBHOOK_DISPATCHER_DEFAULTS).toEqual({ pollMs: 1_000, timeoutMs: 10_000, concurrency: 8, retryBaseMs: 5_000 });
    const config = loadApiConfig({ RINGWATCH_WEBHOOK_POLL_MS: '100', RINGWATCH_WEBHOOK_TIMEOUT_MS: '2000', RINGWATCH_WEBHOOK_CONCURRENCY: '3', RINGWATCH_WEBHOOK_RETRY_BASE_MS: '250' });
    expect(config.webhooks).toEqual({ pollMs: 100, timeoutMs: 2_000, concurrency: 3, retryBaseMs: 250 });
    expect(() => loadApiConfig({ RINGWATCH_WEBHOOK_RETRY_BASE_MS: '20000' })).toThrow(/RINGWATCH_WEBHOOK_RETRY_BASE_MS/);
    expect(() => loadApiConfig({ RINGWATCH_WEBHOOK_CONCURRENCY: '0' })).toThrow(/RINGWATCH_WEBHOOK_CONCURRENCY/);
  });
});
