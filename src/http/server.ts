import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { serve, type ServerType } from '@hono/node-server';
import type { Db } from '../graph/db.ts';
import type { Logger } from '../log.ts';
import { createApp } from './app.ts';
import { checkpointEverySecond } from '../audit/checkpoints.ts';
import { AuditGroupCommit } from '../audit/groupCommit.ts';
import { startWebhookDispatcher } from '../webhooks/dispatcher.ts';
import type { ApiConfig } from './config.ts';
import type { SigningKey } from '../evidence/signing.ts';
import { PROBLEM_CONTENT_TYPE, problemDocument, ProblemError } from './problem.ts';

/** How long a shutdown waits for requests in flight before closing anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

/** Request line and headers together (Node's default, stated so that the 431 below is ours to explain). */
export const MAX_HEADER_BYTES = 16 * 1024;

export interface RunServerOptions {
  db: Db;
  config: ApiConfig;
  logger: Logger;
  signingKey: SigningKey;
  onListening: (address: { address: string; port: number }) => void;
}

/**
 * Serves the API until SIGTERM or SIGINT, then stops gracefully: no new connections, requests in
 * flight finish (up to a grace period), idle keep-alive sockets close at once, the last batch of
 * read audit events commits, the audit checkpointer takes its last turn, the webhook dispatcher records its interrupted deliveries.
 * Resolves once stopped; only then may the caller close the driver, so that no request in flight
 * meets a closed pool.
 */
export async function runServer({ db, config, logger, signingKey, onListening }: RunServerOptions): Promise<void> {
  const clock = () => new Date();
  const auditReads = new AuditGroupCommit(db, { maxBatch: config.auditBatchMax });
  const app = createApp({ db, config, clock, logger, signingKey, auditReads });
  const stopCheckpoints = checkpointEverySecond({ db, signingKey, clock, dataDir: config.dataDir, logger });
  const dispatcher = startWebhookDispatcher({ db, logger, clock, config: config.webhooks });
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
      // Deliveries in flight are aborted at once (a receiver that hangs must not hold up the
      // stop) and recorded as interrupted, to be sent again by the next dispatcher.
      const dispatcherStopped = dispatcher.stop();
      server?.close((error) => {
        clearTimeout(force);
        // Requests are finished, so every read's event is queued: drain the audit batches before the last checkpoint.
        auditReads
          .close()
          .then(() => Promise.all([stopCheckpoints(), dispatcherStopped]))
          .then(() => (error ? reject(error) : resolvePromise()), reject);
      });
      (server as unknown as { closeIdleConnections?: () => void })?.closeIdleConnections?.();
    };
    server = serve(
      {
        fetch: app.fetch,
        port: config.port,
        hostname: config.host,
        // Node checks request deadlines on this interval (30 s by default): a slow body is cut
        // within a second of its deadline, not up to half a minute after it.
        serverOptions: { maxHeaderSize: MAX_HEADER_BYTES, connectionsCheckingInterval: 1_000 },
      },
      (info) => onListening(info),
    );
    limitSlowClients(server as Server, config.requestTimeoutMs);
    server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => answerClientError(error, socket, logger));
    server.on('error', reject);
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  logger.info('stopped');
}

/**
 * A client that sends its request slowly (a byte a second, or a body that never ends) holds a
 * socket and, once authenticated, a request handler: the whole request must arrive within
 * `requestTimeoutMs`, its headers within a fraction of that.
 */
function limitSlowClients(server: Server, requestTimeoutMs: number): void {
  server.requestTimeout = requestTimeoutMs;
  server.headersTimeout = Math.min(HEADERS_TIMEOUT_MS, requestTimeoutMs);
}

const HEADERS_TIMEOUT_MS = 10_000;

const CLIENT_ERRORS: Record<string, { reason: string; problem: ProblemError }> = {
  HPE_HEADER_OVERFLOW: {
    reason: 'Request Header Fields Too Large',
    problem: new ProblemError(431, 'headers-too-large', 'Request headers too large', `the request line and headers are over ${MAX_HEADER_BYTES} bytes`),
  },
  ERR_HTTP_REQUEST_TIMEOUT: { reason: 'Request Timeout', problem: new ProblemError(408, 'request-timeout', 'Request timeout', 'the request did not arrive in time') },
};
const NOT_HTTP = { reason: 'Bad Request', problem: new ProblemError(400, 'malformed-request', 'Malformed request', 'the request is not valid HTTP') };

/**
 * What Node's parser refuses before the app sees a request (headers too large, a request that
 * arrives too slowly, bytes that are not HTTP) is answered as problem+json like every other error,
 * then the connection is closed. It is the client's fault: logged at info, without the bytes.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex, logger: Logger): void {
  const known = CLIENT_ERRORS[error.code ?? ''];
  logger.info({ code: error.code }, 'client error');
  // A reset or an already answered request leaves nobody to tell.
  const answered = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
  if (error.code === 'ECONNRESET' || answered || !socket.writable) {
    socket.destroy();
    return;
  }
  const { reason, problem } = known ?? NOT_HTTP;
  const body = problemDocument(problem, null, null);
  socket.end(`HTTP/1.1 ${problem.status} ${reason}\r\ncontent-type: ${PROBLEM_CONTENT_TYPE}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}
