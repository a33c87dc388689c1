import type { IncomingMessage } from 'node:http';
import type { HttpBindings } from '@hono/node-server';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../env.ts';
import { problems } from '../problems.ts';

/**
 * Refuses a request body over `maxBytes` with a 413 problem, before anything reads it.
 *
 * Under `ringwatch serve` (Node) the body is read from Node's own request stream, when a route
 * first asks for it (after the key check), into the text Hono's routes read: Hono's portable path
 * makes a WHATWG Request and a web stream of every request to check and read its body, about 6 % of
 * the service's CPU per screening in its profile (bench/RESULTS.md, "API latency"). Elsewhere
 * (`app.request()` in tests, another runtime) Hono's own limiter does the same job.
 */
export function limitBody(maxBytes: number): MiddlewareHandler<AppEnv> {
  const portable = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw problems.payloadTooLarge(maxBytes);
    },
  });
  return async (c, next) => {
    const incoming = (c.env as Partial<HttpBindings> | undefined)?.incoming;
    if (incoming === undefined) return portable(c, next);
    // Hono gives GET and HEAD no body either.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const declared = incoming.headers['content-length'];
    if (declared !== undefined && incoming.headers['transfer-encoding'] === undefined && Number(declared) > maxBytes) throw problems.payloadTooLarge(maxBytes);
    let text: Promise<string> | undefined;
    // Hono reads `bodyCache.text` before the request's own body: read once, on first use.
    Object.defineProperty(c.req.bodyCache, 'text', { configurable: true, enumerable: true, get: () => (text ??= readText(incoming, maxBytes)) });
    await next();
  };
}

/**
 * The body as UTF-8 text (a byte-order mark dropped, as `Request.text()` drops it), or a 413 once
 * more than `maxBytes` have come (a chunked body declares no length). A client that hangs up
 * first is a client abort (ECONNRESET), which the problem handler answers as the client's fault.
 */
function readText(incoming: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = () => {
      incoming.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        // The rest is left to Node, which discards what a finished response did not read.
        settle();
        reject(problems.payloadTooLarge(maxBytes));
      } else chunks.push(chunk);
    };
    const onEnd = () => {
      settle();
      resolve(new TextDecoder('utf-8').decode(Buffer.concat(chunks, size)));
    };
    const onError = (error: Error) => {
      settle();
      reject(error);
    };
    const onClose = () => {
      settle();
      reject(Object.assign(new Error('the client closed the connection before its request body arrived'), { code: 'ECONNRESET' }));
    };
    incoming.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}
