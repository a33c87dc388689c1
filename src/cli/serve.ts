import { Command } from 'commander';
import { loadApiConfig } from '../http/config.ts';
import { loadOrCreateSigningKey } from '../evidence/signing.ts';
import { runServer } from '../http/server.ts';
import { createLogger } from '../log.ts';
import { positiveInt } from './options.ts';
import { say, withDb, type CommandContext } from './context.ts';

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
      const serveApi = async ({ db, config: base }: CommandContext) => {
        const logger = createLogger({ level: base.logLevel ?? 'info' });
        await runServer({
          db,
          config,
          logger,
          signingKey,
          onListening: (info) => say(`ringwatch API on http://${info.address}:${info.port}  (docs /docs, OpenAPI /openapi.json); signing key ${signingKey.fingerprint}`),
        });
      };
      // Requests get a deadline on every transaction (503 when Neo4j is away); migrations do not.
      await withDb('cli:serve', serveApi, { db: { deadlineMs: config.dbDeadlineMs } });
    });
}
