import { serve, type ServerType } from '@hono/node-server';
import type { Db } from '../graph/db.ts';
import type { Logger } from '../log.ts';
import { createApp } from './app.ts';
import { checkpointEverySecond } from './audit/checkpoints.ts';
import type { ApiConfig } from './config.ts';
import type { SigningKey } from './env.ts';

/** How long a shutdown waits for requests in flight before closing anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

export interface RunServerOptions {
  db: Db;
  config: ApiConfig;
  logger: Logger;
  signingKey: SigningKey;
  onListening: (address: { address: string; port: number }) => void;
}

/**
 * Serves the API until SIGTERM or SIGINT, then stops gracefully: no new connections, requests in
 * flight finish (up to a grace period), idle keep-alive sockets close at once, the audit
 * checkpointer takes its last turn. Resolves once stopped; only then may the caller close the
 * driver, so that no request in flight meets a closed pool.
 */
export async function runServer({ db, config, logger, signingKey, onListening }: RunServerOptions): Promise<void> {
  const clock = () => new Date();
  const app = createApp({ db, config, clock, logger, signingKey });
  const stopCheckpoints = checkpointEverySecond({ db, signingKey, clock, dataDir: config.dataDir, logger });
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
      server?.close((error) => {
        clearTimeout(force);
        stopCheckpoints().then(() => (error ? reject(error) : resolvePromise()), reject);
      });
      (server as unknown as { closeIdleConnections?: () => void })?.closeIdleConnections?.();
    };
    server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => onListening(info));
    server.on('error', reject);
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  logger.info('stopped');
}
