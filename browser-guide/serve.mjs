#!/usr/bin/env node
/**
 * Serves the ringwatch Browser guide over HTTP so that Neo4j Browser can fetch it:
 *
 *   node browser-guide/serve.mjs [port]        (default port 8001)
 *   then, in Neo4j Browser:  :guide http://localhost:8001/ringwatch.html
 *
 * Why a server at all: Browser fetches guides with `fetch()` from its own page, so it needs an
 * http(s) URL (a file:// path is not accepted), a host on its allowlist (the server setting
 * browser.remote_content_hostname_whitelist, "guides.neo4j.com,localhost" by default, so use
 * "localhost", not "127.0.0.1"), and CORS headers: the request carries `pragma` and
 * `cache-control` headers, so the browser sends a preflight OPTIONS first.
 *
 * Only the .html files of this folder are served, read-only, on the loopback interface.
 */
import { readFile, readdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const folder = dirname(fileURLToPath(import.meta.url));

const corsHeaders = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
  'Access-Control-Allow-Headers': 'pragma, cache-control, content-type, x-ajax-browser-auth, x-stream',
  'Access-Control-Max-Age': '600',
};

/** Request handler: the guide files with CORS, 404 for anything else. */
export async function handle(req, res) {
  if (req.method === 'OPTIONS') {
    res.writeHead(204, corsHeaders);
    res.end();
    return;
  }
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
  const guides = (await readdir(folder)).filter((f) => f.endsWith('.html'));
  const name = path === '/' || path === '/guide' ? 'ringwatch.html' : path.slice(1);
  if ((req.method !== 'GET' && req.method !== 'HEAD') || !guides.includes(name)) {
    res.writeHead(404, { ...corsHeaders, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(`not found; guides here: ${guides.map((g) => `/${g}`).join(', ')}\n`);
    return;
  }
  const body = await readFile(join(folder, name));
  res.writeHead(200, { ...corsHeaders, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** Listens on 127.0.0.1 and, where the machine has it, ::1, since "localhost" may resolve to either. */
export async function serve(port) {
  const listen = (host, p) =>
    new Promise((resolve, reject) => {
      const server = createServer((req, res) => {
        handle(req, res).catch((error) => {
          res.writeHead(500, corsHeaders);
          res.end(String(error));
        });
      });
      server.once('error', reject);
      server.listen(p, host, () => resolve(server));
    });
  const servers = [await listen('127.0.0.1', port)];
  const actualPort = servers[0].address().port;
  try {
    servers.push(await listen('::1', actualPort));
  } catch {
    // no IPv6 loopback here: 127.0.0.1 is enough
  }
  return { port: actualPort, close: () => Promise.all(servers.map((s) => new Promise((r) => s.close(() => r())))) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const port = Number(process.argv[2] ?? 8001);
  const { port: actual } = await serve(port);
  process.stdout.write(`serving the ringwatch guide; in Neo4j Browser run:\n  :guide http://localhost:${actual}/ringwatch.html\n`);
}
