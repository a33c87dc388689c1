import { OpenAPIHono } from '@hono/zod-openapi';
import { secureHeaders } from 'hono/secure-headers';
import { VERSION } from '../version.ts';
import { AuditGroupCommit } from '../audit/groupCommit.ts';
import { CachedKeyVerifier } from '../keys/keyCache.ts';
import type { AppDeps, AppEnv, AppInput } from './env.ts';
import { limitBody } from './middleware/bodyLimit.ts';
import { rateLimit } from './middleware/rateLimit.ts';
import { assignRequestId } from './middleware/requestId.ts';
import { requestLog } from './middleware/requestLog.ts';
import { problemErrorHandler, problemNotFoundHandler, validationHook } from './problem.ts';
import { registerDocs } from './routes/docs.get.ts';
import { registerGuide } from './routes/guide.get.ts';
import { ROUTES } from './routes/table.ts';
import { registerViewer } from './routes/viewer.get.ts';

export type App = OpenAPIHono<AppEnv>;

/**
 * The ringwatch HTTP API. Everything it needs is passed in, so tests call `app.request(...)`
 * without a network and with their own database, clock and keys.
 */
export function createApp(input: AppInput): App {
  const deps: AppDeps = {
    ...input,
    auditReads: input.auditReads ?? new AuditGroupCommit(input.db, { maxBatch: input.config.auditBatchMax }),
    keys: input.keys ?? new CachedKeyVerifier(input.db, { ttlMs: input.config.keyCacheTtlMs }),
  };
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.onError(problemErrorHandler(deps.logger));
  app.notFound(problemNotFoundHandler(() => app.routes));

  app.use('*', assignRequestId());
  app.use('*', requestLog(deps.logger));
  app.use('*', secureHeaders({ crossOriginResourcePolicy: 'same-origin' }));
  app.use('/v1/*', rateLimit({ ...deps.config.rateLimit, now: () => deps.clock().getTime() }));
  app.use('/v1/*', limitBody(deps.config.bodyLimitBytes));

  for (const { register } of ROUTES) register(app, deps);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'an API key made with `ringwatch keys create`: `rw_<keyId>_<secret>`',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'ringwatch',
      version: VERSION,
      description: 'Counterfeit-seller rings: ranked lists, dossiers, batch closures, brand verdicts, law-enforcement referrals with signed evidence packages. Every error is RFC 9457 problem+json.',
    },
  });
  registerDocs(app);
  registerViewer(app);
  registerGuide(app);
  return app;
}
