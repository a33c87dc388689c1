import { serve, type ServerType } from '@hono/node-server';
import { Command } from 'commander';
import { createApp } from '../http/app.ts';
import { loadApiConfig } from '../http/config.ts';
import { loadOrCreateSigningKey } from '../http/package/signing.ts';
import { createLogger } from '../log.ts';
import { positiveInt } from './ingest.ts';
import { say, withDb } from './context.ts';

/** How long a shutdown waits for requests in flight before closing anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

/** `ringwatch serve`: the HTTP API until SIGTERM or SIGINT, then a graceful stop. */
export function serveCommand(): Command {
  return new Command('serve')
    .description('serve the HTTP API (OpenAPI at /openapi.json, docs at /docs); stops gracefully on SIGTERM')
    .option('--port <port>', 'TCP port (RINGWATCH_PORT, default 8080; 0 picks a free one)')
    .option('--host <host>', 'address to bind (RINGWATCH_HOST, default 127.0.0.1)')
    .action(async (opts: { port?: string; host?: string }) => {
      const config = loadApiConfig();
      if (opts.port !== undefined) config.port = opts.port === '0' ? 0 : positiveInt(65_535)(opts.port);
      if (opts.host !== undefined) config.host = opts.host;
      const signingKey = loadOrCreateSigningKey(config.dataDir);
      await withDb('cli:serve', async ({ db, config: base }) => {
        const logger = createLogger({ level: base.logLevel ?? 'info' });
        const app = createApp({ db, config, clock: () => new Date(), logger, signingKey });
        await new Promise<void>((resolvePromise, reject) => {
          let server: ServerType | undefined;
          let stopping = false;
          const stop = (signal: string) => {
            if (stopping) return;
            stopping = true;
            logger.info({ signal }, 'stopping: finishing requests in flight');
            const force = setTimeout(() => {
              logger.warn('requests still open after the grace period; closing them');
              (server as unknown as { closeAllConnections?: () => void })?.closeAllConnections?.();
            }, SHUTDOWN_GRACE_MS);
            force.unref();
            // close() stops accepting and waits for open requests; idle keep-alive sockets are closed at once.
            server?.close((error) => (error ? reject(error) : resolvePromise()));
            (server as unknown as { closeIdleConnections?: () => void })?.closeIdleConnections?.();
          };
          server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
            say(`ringwatch API on http://${info.address}:${info.port}  (docs /docs, OpenAPI /openapi.json); signing key ${signingKey.fingerprint}`);
          });
          server.on('error', reject);
          process.once('SIGTERM', () => stop('SIGTERM'));
          process.once('SIGINT', () => stop('SIGINT'));
        });
        logger.info('stopped');
      });
    });
}
