import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createApp, type App } from '../../../src/http/app.ts';
import { claimedKeyId, createApiKey } from '../../../src/keys/apiKeys.ts';
import { API_DEFAULTS, type ApiConfig } from '../../../src/http/config.ts';
import { loadOrCreateSigningKey, type SigningKey } from '../../../src/evidence/signing.ts';
import type { Role } from '../../../src/keys/principal.ts';
import type { Db } from '../../../src/graph/db.ts';
import { freshDb } from '../../support/db.ts';
import { loadMarket, type LoadedMarket } from './loadMarket.ts';

/** A settable clock: tests move time on by hand. */
export class TestClock {
  constructor(public now = new Date('2025-04-10T12:00:00Z')) {}
  readonly fn = () => new Date(this.now);
  advance(ms: number): void {
    this.now = new Date(this.now.getTime() + ms);
  }
}

/** An app over a graph, with its own data folder, clock and keys. */
export interface AppHarness {
  db: Db;
  app: App;
  clock: TestClock;
  config: ApiConfig;
  signingKey: SigningKey;
  /** A new key's token. */
  key(role: Role, scope?: { brand?: string; agency?: string }): Promise<string>;
  close(): Promise<void>;
}

export interface Harness extends AppHarness {
  /** What ingest and detection made of the market (market.ts): the ring ids, by ring, and the run ids. */
  market: LoadedMarket;
}

/**
 * A fresh graph with the market (market.ts) ingested and detected by the real pipeline, and an
 * app over it with its own data folder and clock.
 */
export async function startHarness(options: { config?: Partial<ApiConfig> } = {}): Promise<Harness> {
  const db = await freshDb();
  const market = await loadMarket(db);
  return { ...appOver(db, options), market };
}

/** An app over `db` as it is: for suites that load a market of their own into a fresh graph. */
export function appOver(db: Db, options: { config?: Partial<ApiConfig> } = {}): AppHarness {
  const dataDir = mkdtempSync(join(tmpdir(), 'ringwatch-http-'));
  // Generous limits unless a test is about them.
  const config: ApiConfig = { ...API_DEFAULTS, rateLimit: { burst: 10_000, perSecond: 10_000 }, dataDir, ...options.config };
  const clock = new TestClock();
  const signingKey = loadOrCreateSigningKey(dataDir);
  const logger = pino({ level: 'silent' });
  const app = createApp({ db, config, clock: clock.fn, logger, signingKey });
  let n = 0;
  return {
    db,
    app,
    clock,
    config,
    signingKey,
    key: async (role, scope = {}) => (await createApiKey(db, { role, name: `test ${role} ${++n}`, ...scope }, clock.fn)).token,
    close: async () => {
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A request through the app without a network. */
export async function call(
  app: App,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string>; /** the client's peer address, as the Node server would see it */ address?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const env = options.address ? { incoming: { socket: { remoteAddress: options.address } } } : undefined;
  return await app.request(path, { method, headers, body }, env);
}

/** Reads a problem+json answer and checks its shape. */
export async function problemOf(response: Response): Promise<{ type: string; title: string; status: number; detail: string; instance: string; requestId: string; [k: string]: unknown }> {
  if (!response.headers.get('content-type')?.startsWith('application/problem+json')) {
    throw new Error(`expected problem+json, got ${response.status} ${response.headers.get('content-type')}: ${await response.text()}`);
  }
  const body = (await response.json()) as Record<string, unknown>;
  for (const field of ['type', 'title', 'status', 'detail', 'instance', 'requestId']) {
    if (!(field in body)) throw new Error(`problem lacks ${field}: ${JSON.stringify(body)}`);
  }
  if (body.status !== response.status) throw new Error(`problem status ${String(body.status)} differs from HTTP ${response.status}`);
  return body as never;
}

/** The secret part of an API token (`rw_<keyId>_<secret>`, apiKeys.ts), to check that it never leaks. */
export function tokenSecret(token: string): string {
  const keyId = claimedKeyId(token);
  if (keyId === null) throw new Error('not an API token');
  return token.slice(`rw_${keyId}_`.length);
}
