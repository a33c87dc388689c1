import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST a receiver got. */
export interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

/** What the receiver does with a request: answer with a status, hang (never answer), or drop the connection. */
export type Behaviour = { status: number } | 'hang' | 'drop';

export interface Receiver {
  /** `http://127.0.0.1:<port>` */
  base: string;
  received: Received[];
  /** Decides each request's fate; by default 200. `n` counts the requests to that path, from 1. */
  behave(fn: (request: Received, n: number) => Behaviour): void;
  /** Waits until `predicate` holds of what was received (polling), or fails after `ms`. */
  until(predicate: (received: Received[]) => boolean, ms?: number): Promise<void>;
  close(): Promise<void>;
}

/** A webhook receiver on a free loopback port, recording every request it gets. */
export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const counts = new Map<string, number>();
  let decide: (request: Received, n: number) => Behaviour = () => ({ status: 200 });
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: Received = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      received.push(request);
      const n = (counts.get(request.path) ?? 0) + 1;
      counts.set(request.path, n);
      const behaviour = decide(request, n);
      if (behaviour === 'hang') hanging.add(res);
      else if (behaviour === 'drop') req.socket.destroy();
      else res.writeHead(behaviour.status, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    received,
    behave: (fn) => {
      decide = fn;
    },
    until: async (predicate, ms = 30_000) => {
      const deadline = Date.now() + ms;
      while (!predicate(received)) {
        if (Date.now() > deadline) throw new Error(`receiver: condition not met within ${ms} ms; got ${received.length} requests to ${[...new Set(received.map((r) => r.path))].join(', ')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: async () => {
      for (const res of hanging) res.socket?.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The receiver's side of the documented algorithm (docs/live.md, "Webhooks"), written here with
 * node:crypto alone and not with the service's code: `Ringwatch-Signature: t=<unix seconds>,v1=<hex>`,
 * hex = HMAC-SHA256 keyed with the secret of `<t>.<raw body>`, compared in constant time, `t`
 * within `toleranceSeconds` of now.
 */
export function verifySignature(header: string | undefined, body: string, secret: string, toleranceSeconds = 300, now = Date.now()): boolean {
  if (!header) return false;
  const parts = Object.fromEntries(header.split(',').map((part) => part.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(now / 1000 - t) > toleranceSeconds || !/^[0-9a-f]{64}$/.test(parts.v1 ?? '')) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(parts.v1 as string, 'hex'));
}
