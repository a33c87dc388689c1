import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Hook } from '@hono/zod-openapi';
import { RingwatchError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { AppEnv } from './env.ts';
import { ProblemError, problemOfError, problems, type FieldError } from './problems.ts';

export { ProblemError } from './problems.ts';

/** RFC 9457 media type of every error the API answers. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** A problem's `type` URI from its stable slug: programs branch on it, people read `title`. */
export const problemTypeUri = (slug: string): string => `urn:ringwatch:problem:${slug}`;

/** Writes a ProblemError as the RFC 9457 response, with the request id to quote to an operator. */
export function renderProblem(c: Context, problem: ProblemError): Response {
  const body = problemDocument(problem, c.req.path, (c.get('requestId') as string | undefined) ?? null);
  return c.body(body, problem.status, { 'content-type': PROBLEM_CONTENT_TYPE, ...problem.headers });
}

/** The RFC 9457 JSON of a problem: the one shape every error leaves in, from the app or from the server's parser. */
export function problemDocument(problem: ProblemError, instance: string | null, requestId: string | null): string {
  return JSON.stringify({
    ...problem.extra,
    type: problemTypeUri(problem.type),
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    instance,
    requestId,
  });
}

/** Turns anything thrown into a ProblemError: the user's mistakes into 4xx, the database's absence into 503. */
export function toProblem(error: unknown): ProblemError {
  if (error instanceof ProblemError) return error;
  if (error instanceof HTTPException) {
    switch (error.status) {
      case 400:
        return problems.malformedRequest(error.message || undefined);
      case 401:
        return problems.unauthorized();
      case 413:
        return problems.payloadTooLarge();
      case 415:
        return problems.unsupportedMediaType();
      default:
        return problems.httpError(error.status as ContentfulStatusCode, error.message);
    }
  }
  // Nobody reads this answer; it is here so that the log says whose fault it was.
  if (isClientAbort(error)) return problems.requestAborted();
  return (error instanceof RingwatchError ? problemOfError(error) : null) ?? problems.internalError();
}

/** The client hung up mid-request (Node's `aborted` ECONNRESET, possibly wrapped by a stream reader). */
function isClientAbort(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 3; e = e.cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE') return true;
  }
  return false;
}

/** The app's `onError`: every error leaves as problem+json; only the service's own faults are logged as errors. */
export function problemErrorHandler(logger: Logger): ErrorHandler {
  return (error, c) => {
    const problem = toProblem(error);
    const requestId = c.get('requestId') as string | undefined;
    if (problem.status >= 500) {
      // The error's message may name a Cypher statement but never carries parameter values.
      logger.error({ requestId, route: c.req.routePath, err: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error) }, 'request failed');
    }
    return renderProblem(c, problem);
  };
}

/**
 * The app's `notFound`: a path that exists under other methods is a 405 naming them in `Allow`
 * (RFC 9110 15.5.6); an unknown path is a 404 problem like any other.
 */
export function problemNotFoundHandler(routes: () => ReadonlyArray<{ method: string; path: string }>): NotFoundHandler {
  return (c) => {
    const allowed = allowedMethods(routes(), c.req.path);
    if (allowed.length > 0) {
      const allow = allowed.join(', ');
      return renderProblem(c, problems.methodNotAllowed(c.req.method, allow));
    }
    return renderProblem(c, problems.noSuchRoute());
  };
}

/** The methods the app serves on `path` (GET implies HEAD, as Hono answers it), from its route table. */
export function allowedMethods(routes: ReadonlyArray<{ method: string; path: string }>, path: string): string[] {
  const methods = new Set<string>();
  for (const route of routes) {
    // Middleware is registered for every method (`ALL`) and on wildcard paths: not a route.
    if (route.method === 'ALL' || route.path.includes('*')) continue;
    const pattern = new RegExp(`^${route.path.split('/').map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))).join('/')}/?$`);
    if (!pattern.test(path)) continue;
    methods.add(route.method);
    if (route.method === 'GET') methods.add('HEAD');
  }
  return [...methods].sort();
}

/**
 * The zod validation hook of every route: an invalid path, query or header is a 400 (the request
 * itself is malformed); a well-formed JSON body that breaks the schema is a 422. Both list the
 * failing fields. Messages never echo the input back.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const validationHook: Hook<any, AppEnv, any, any> = (result) => {
  if (result.success) return;
  const target = result.target as string;
  const errors: FieldError[] = result.error.issues.map((issue) => ({
    field: [target === 'json' ? 'body' : target, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  throw target === 'json' ? problems.bodyInvalid(errors) : problems.invalidRequest(target, errors);
};
