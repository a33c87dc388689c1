import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../../log.ts';
import type { AppEnv } from '../env.ts';

/**
 * One structured log line per request: request id, method, the route's pattern (never the query
 * string or the concrete path, which could carry what a caller typed), status, duration and the
 * key id. Never the token, never a body.
 */
export function requestLog(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      logger.info(
        {
          requestId: c.get('requestId'),
          clientRequestId: c.get('clientRequestId'),
          method: c.req.method,
          route: c.req.routePath,
          status: c.res.status,
          ms: Math.round(performance.now() - started),
          keyId: c.get('principal')?.keyId,
        },
        'request',
      );
    }
  };
}
