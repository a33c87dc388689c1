import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import ipaddr from 'ipaddr.js';
import { VERSION } from '../version.ts';
import { addressRefusal, connectionLookup, hostOf, type Resolver } from './addressGuard.ts';

/** What one POST to a receiver came to: its status, or why there was none. */
export type PostOutcome = { status: number; error: null } | { status: null; error: string };

export interface PostOptions {
  timeoutMs: number;
  allowPrivate: boolean;
  resolve: Resolver;
  /** Aborts the request (a stopping dispatcher). */
  signal?: AbortSignal;
}

/**
 * POSTs `body` to `url` and resolves with the status as soon as the receiver's status line
 * arrives (its body is not waited for: a receiver trickling one is not ours to wait on), or with
 * the reason it failed: a refused address, a refused or closed connection, no status within
 * `timeoutMs`. Never follows redirects (a redirect could lead anywhere, a private address too),
 * never reuses a connection (every delivery resolves and checks the host anew), never rejects.
 */
export function postJson(url: string, body: string, headers: Record<string, string>, options: PostOptions): Promise<PostOutcome> {
  return new Promise((resolvePromise) => {
    let settled = false;
    const settle = (outcome: PostOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolvePromise(outcome);
    };
    const target = new URL(url);
    const host = hostOf(target);
    if (!options.allowPrivate && ipaddr.isValid(host)) {
      const refusal = addressRefusal(host);
      if (refusal !== null) {
        settle({ status: null, error: `refused: ${refusal}` });
        return;
      }
    }
    const request = (target.protocol === 'https:' ? httpsRequest : httpRequest)(target, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': `ringwatch-webhooks/${VERSION}` },
      agent: false,
      lookup: connectionLookup(options.resolve, options.allowPrivate) as never,
    });
    const timer = setTimeout(() => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)), options.timeoutMs);
    const onAbort = () => request.destroy(new Error('stopped before an answer'));
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort);
    request.on('response', (response: IncomingMessage) => {
      settle({ status: response.statusCode ?? 0, error: null });
      response.destroy();
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      settle({ status: null, error: error.code === 'ERR_WEBHOOK_ADDRESS_REFUSED' ? `refused: ${error.message}` : describeNetworkError(error) });
    });
    request.end(body);
  });
}

/** One line for a failed connection, with its code where Node gives one. */
function describeNetworkError(error: NodeJS.ErrnoException): string {
  if (error.code === 'ECONNRESET') return 'the receiver closed the connection (ECONNRESET)';
  return error.code ? `${error.message} (${error.code})` : error.message;
}
