import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.ts';

/** What a client's own request id may look like to be echoed (anything else is dropped, not cleaned). */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:=-]{1,128}$/;

/**
 * Every request gets an id of the service's own making: it is what logs, problems, Neo4j's
 * transaction metadata and the audit chain carry, and what `X-Request-Id` answers. A client's
 * `X-Request-Id` never becomes that id (an audit event whose request id the caller chose could
 * collide with, or impersonate, another's); when well-formed it is echoed back as
 * `X-Client-Request-Id` and logged beside ours, so the caller can still correlate.
 */
export function assignRequestId(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const id = randomUUID();
    c.set('requestId', id);
    c.header('x-request-id', id);
    const theirs = c.req.header('x-request-id');
    if (theirs !== undefined && CLIENT_REQUEST_ID.test(theirs)) {
      c.set('clientRequestId', theirs);
      c.header('x-client-request-id', theirs);
    }
    await next();
  };
}
