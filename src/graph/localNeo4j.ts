/**
 * The managed local Neo4j: Neo4j Community 5.26 LTS from Maven Central's jars, started on this
 * machine's Java with org.neo4j.server.CommunityEntryPoint, for machines without Docker.
 *
 * A home folder holds everything of one instance: conf/neo4j.conf, data/, logs/, the generated
 * password (mode 0600) and ringwatch-neo4j.json (pid and ports). Deleting the folder after `stop`
 * removes every trace of it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import neo4j from 'neo4j-driver';
import { RingwatchError } from '../errors.ts';
import { PROJECT_ROOT } from '../projectRoot.ts';

/** Keep in step with neo4j/pom.xml. */
export const NEO4J_VERSION = '5.26.30';
const STATE_FILE = 'ringwatch-neo4j.json';
const PASSWORD_FILE = 'password';
const CONSOLE_LOG = 'logs/console.log';

export interface LocalNeo4jInfo {
  uri: string;
  user: string;
  password: string;
  home: string;
  pid: number;
  version: string;
  browserUrl: string;
}

export interface StartOptions {
  home: string;
  /** JVM heap, e.g. `2g`. */
  heap?: string;
  /** Page cache, e.g. `2g`. */
  pageCache?: string;
  timeoutMs?: number;
  onProgress?: (message: string) => void;
}

interface State {
  pid: number;
  boltPort: number;
  httpPort: number;
  version: string;
}

/**
 * Sizes for a 2-core, 24 GiB machine that also runs the ringwatch process (whose projection of a
 * 1M-seller marketplace needs a few GiB): 4 GiB heap for Cypher's working memory on batched MERGEs,
 * 4 GiB page cache, enough for the store of ~10M records to stay in memory.
 */
export const DEFAULT_HEAP = '4g';
export const DEFAULT_PAGE_CACHE = '4g';

/**
 * A fresh password: 144 random bits. It starts with letters because neo4j-admin reads an argument
 * starting with `-` as an option (base64url alone begins with `-` once in 64 passwords).
 */
export function generatePassword(): string {
  return `rw${randomBytes(18).toString('base64url')}`;
}

/** Where the jars are cached: an ignored folder in the project, or RINGWATCH_NEO4J_LIB. */
export function neo4jLibDir(): string {
  return process.env.RINGWATCH_NEO4J_LIB ?? join(PROJECT_ROOT, '.cache', 'neo4j', NEO4J_VERSION, 'lib');
}

/** The default home of the managed Neo4j used by `ringwatch` commands when NEO4J_URI is not set. */
export function defaultNeo4jHome(): string {
  return join(PROJECT_ROOT, '.cache', 'neo4j-home');
}

/**
 * Fetches Neo4j's jars from Maven Central with the project's pom, once; later calls find the
 * completed cache and return at once.
 */
export function fetchNeo4j(onProgress?: (message: string) => void): { libDir: string; fetched: boolean; seconds: number } {
  const libDir = neo4jLibDir();
  const marker = join(libDir, '.complete');
  if (existsSync(marker)) return { libDir, fetched: false, seconds: 0 };
  onProgress?.(`fetching Neo4j ${NEO4J_VERSION} jars from Maven Central into ${libDir}`);
  const started = performance.now();
  const mvn = spawnSync(
    'mvn',
    ['-q', '-B', '-f', join(PROJECT_ROOT, 'neo4j', 'pom.xml'), 'dependency:copy-dependencies', `-DoutputDirectory=${libDir}`],
    { encoding: 'utf8' },
  );
  if (mvn.error) {
    throw new RingwatchError('NEO4J_NOT_FETCHED', `cannot run Maven to fetch Neo4j (${mvn.error.message}); install Maven 3`);
  }
  if (mvn.status !== 0) {
    const tail = `${mvn.stdout}\n${mvn.stderr}`.trim().split('\n').filter((l) => l.includes('ERROR')).slice(0, 3).join(' | ');
    throw new RingwatchError('NEO4J_NOT_FETCHED', `Maven could not fetch Neo4j ${NEO4J_VERSION}: ${tail || `exit ${mvn.status}`}`);
  }
  writeFileSync(marker, `${NEO4J_VERSION}\n`);
  return { libDir, fetched: true, seconds: (performance.now() - started) / 1000 };
}

function javaBinary(): string {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

function checkJava(): void {
  const java = spawnSync(javaBinary(), ['-version'], { encoding: 'utf8' });
  if (java.error) throw new RingwatchError('JAVA_MISSING', `Java 17 or newer is needed to run Neo4j and was not found (${java.error.message})`);
  const match = /version "(\d+)/.exec(java.stderr);
  const major = match ? Number(match[1]) : 0;
  if (major < 17) throw new RingwatchError('JAVA_MISSING', `Neo4j ${NEO4J_VERSION} needs Java 17 or newer; found ${match?.[1] ?? 'an unknown version'}`);
}

/** Binds `port` (0: any) on loopback for a moment: the port it got, or undefined when it is taken. */
async function bindablePort(port: number): Promise<number | undefined> {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.unref();
    server.on('error', () => resolvePort(undefined));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(bound));
    });
  });
}

async function freePort(): Promise<number> {
  const port = await bindablePort(0);
  if (port === undefined) throw new RingwatchError('NEO4J_START_FAILED', 'no free TCP port on 127.0.0.1');
  return port;
}

/**
 * The ports this home ran on last time when both are still free, so that a `serve` (or anything
 * else) holding the old Bolt address reconnects by itself after a restart; new ones otherwise.
 */
async function portsFor(home: string, reuseRecorded: boolean): Promise<{ boltPort: number; httpPort: number }> {
  const recorded = reuseRecorded ? readState(home) : undefined;
  if (recorded && (await bindablePort(recorded.boltPort)) && (await bindablePort(recorded.httpPort))) {
    return { boltPort: recorded.boltPort, httpPort: recorded.httpPort };
  }
  return { boltPort: await freePort(), httpPort: await freePort() };
}

function readState(home: string): State | undefined {
  try {
    return JSON.parse(readFileSync(join(home, STATE_FILE), 'utf8')) as State;
  } catch {
    return undefined;
  }
}

/** True when `pid` is alive and is the Neo4j of this home (a recycled pid is not). */
function isOurNeo4j(pid: number, home: string): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`--home-dir=${home}`);
  } catch {
    return true; // no /proc (macOS): trust the live pid
  }
}

function infoFor(home: string, state: State, password: string): LocalNeo4jInfo {
  return {
    uri: `bolt://127.0.0.1:${state.boltPort}`,
    user: 'neo4j',
    password,
    home,
    pid: state.pid,
    version: state.version,
    browserUrl: `http://127.0.0.1:${state.httpPort}/browser/`,
  };
}

function logTail(home: string, lines = 8): string {
  // debug.log has the root cause of a failed database; the console log has JVM and port errors.
  const found: string[] = [];
  for (const file of [join(home, 'logs', 'debug.log'), join(home, CONSOLE_LOG)]) {
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8').trim().split('\n').slice(-2000);
    const interesting = text.filter((l) => /^\S.*\b(ERROR|Caused by)\b|Exception:|Address already in use/.test(l));
    found.push(...(interesting.length > 0 ? interesting : text).slice(-lines).map((l) => l.slice(0, 400)));
    if (interesting.length > 0) break;
  }
  return found.length > 0 ? found.slice(-lines).join('\n') : '(no log written)';
}

function writeConfig(home: string, boltPort: number, httpPort: number, heap: string, pageCache: string): void {
  mkdirSync(join(home, 'conf'), { recursive: true });
  const lines = [
    '# Written by ringwatch for its managed local Neo4j; rewritten at every start.',
    'server.default_listen_address=127.0.0.1',
    'server.default_advertised_address=127.0.0.1',
    `server.bolt.listen_address=127.0.0.1:${boltPort}`,
    `server.bolt.advertised_address=127.0.0.1:${boltPort}`,
    `server.http.listen_address=127.0.0.1:${httpPort}`,
    `server.http.advertised_address=127.0.0.1:${httpPort}`,
    'server.https.enabled=false',
    'dbms.security.auth_enabled=true',
    'dbms.usage_report.enabled=false',
    // Neo4j Browser refuses guides from hosts not listed here; ringwatch's guide is served locally.
    'browser.remote_content_hostname_whitelist=guides.neo4j.com,localhost,127.0.0.1',
    `server.memory.heap.initial_size=${heap}`,
    `server.memory.heap.max_size=${heap}`,
    `server.memory.pagecache.size=${pageCache}`,
    `server.directories.data=${join(home, 'data')}`,
    `server.directories.logs=${join(home, 'logs')}`,
    `server.directories.run=${join(home, 'run')}`,
    // LOAD CSV reads files from this folder only (the LOAD CSV benchmark peer puts its files here).
    `server.directories.import=${join(home, 'import')}`,
    `server.directories.plugins=${join(home, 'plugins')}`,
    'db.tx_log.rotation.retention_policy=1 files',
  ];
  writeFileSync(join(home, 'conf', 'neo4j.conf'), `${lines.join('\n')}\n`);
}

/** JVM flags from Neo4j's own default neo4j.conf (server.jvm.additional). */
function jvmArgs(heap: string): string[] {
  return [
    `-Xms${heap}`,
    `-Xmx${heap}`,
    '-XX:+UseG1GC',
    '-XX:-OmitStackTraceInFastThrow',
    '-XX:+UnlockExperimentalVMOptions',
    '-XX:+TrustFinalNonStaticFields',
    '-XX:+DisableExplicitGC',
    '-Djdk.nio.maxCachedBufferSize=1024',
    '-Dio.netty.tryReflectionSetAccessible=true',
    '-Djdk.tls.ephemeralDHKeySize=2048',
    '-Djdk.tls.rejectClientInitiatedRenegotiation=true',
    '-XX:+ExitOnOutOfMemoryError',
    '--add-opens=java.base/java.nio=ALL-UNNAMED',
    '--add-opens=java.base/java.io=ALL-UNNAMED',
    '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
    '--add-opens=java.base/java.lang=ALL-UNNAMED',
    '-Dlog4j2.disable.jmx=true',
  ];
}

type Readiness = { state: 'unreachable' } | { state: 'starting' } | { state: 'online' } | { state: 'failed'; reason: string };

/**
 * Bolt answering is not enough: the DBMS can be up while its `neo4j` database failed to start
 * (a corrupt store). Ready means every database that should be online is online.
 */
async function readiness(uri: string, password: string): Promise<Readiness> {
  const driver = neo4j.driver(uri, neo4j.auth.basic('neo4j', password), { connectionTimeout: 2000 });
  try {
    const { records } = await driver.executeQuery(
      'SHOW DATABASES YIELD name, requestedStatus, currentStatus, statusMessage',
      {},
      { database: 'system' },
    );
    for (const record of records) {
      const [name, requested, current, message] = ['name', 'requestedStatus', 'currentStatus', 'statusMessage'].map((k) => String(record.get(k) ?? ''));
      if (requested === 'online' && current !== 'online') {
        return message ? { state: 'failed', reason: `database ${name} is ${current}: ${message}` } : { state: 'starting' };
      }
    }
    return { state: 'online' };
  } catch {
    return { state: 'unreachable' };
  } finally {
    await driver.close();
  }
}

/** The running instance of this home, or undefined. */
export async function localNeo4jStatus(homeDir: string): Promise<LocalNeo4jInfo | undefined> {
  const home = resolve(homeDir);
  const state = readState(home);
  if (!state || !isOurNeo4j(state.pid, home)) return undefined;
  const password = readFileSync(join(home, PASSWORD_FILE), 'utf8').trim();
  return infoFor(home, state, password);
}

/**
 * Starts the managed Neo4j of `home` and waits until Bolt answers; when it already runs, answers
 * with the running one. A failed start throws NEO4J_START_FAILED with the log's last lines.
 */
export async function startLocalNeo4j(options: StartOptions): Promise<LocalNeo4jInfo> {
  const home = resolve(options.home);
  const running = await localNeo4jStatus(home);
  if (running) return running;

  checkJava();
  const libDir = neo4jLibDir();
  if (!existsSync(join(libDir, '.complete'))) fetchNeo4j(options.onProgress);

  mkdirSync(home, { recursive: true });
  for (const dir of ['data', 'logs', 'run', 'import', 'plugins']) mkdirSync(join(home, dir), { recursive: true });
  const passwordFile = join(home, PASSWORD_FILE);
  const firstStart = !existsSync(join(home, 'data', 'dbms', 'auth.ini'));
  let password: string;
  if (existsSync(passwordFile)) {
    password = readFileSync(passwordFile, 'utf8').trim();
  } else {
    if (!firstStart) {
      throw new RingwatchError('NEO4J_START_FAILED', `${home} holds a Neo4j database but no password file; delete the folder to start afresh`);
    }
    password = generatePassword();
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  }
  chmodSync(passwordFile, 0o600);

  const heap = options.heap ?? process.env.RINGWATCH_NEO4J_HEAP ?? DEFAULT_HEAP;
  const pageCache = options.pageCache ?? process.env.RINGWATCH_NEO4J_PAGECACHE ?? DEFAULT_PAGE_CACHE;
  const env = { ...process.env, NEO4J_HOME: home, NEO4J_CONF: join(home, 'conf') };
  const classpath = `${libDir}/*`;

  if (firstStart) {
    // The documented way to give a fresh DBMS its initial password (neo4j-admin dbms set-initial-password).
    const admin = spawnSync(javaBinary(), ['-cp', classpath, 'org.neo4j.cli.AdminTool', 'dbms', 'set-initial-password', password], {
      env,
      encoding: 'utf8',
    });
    if (admin.status !== 0) {
      throw new RingwatchError('NEO4J_START_FAILED', `could not set Neo4j's initial password: ${(admin.stderr || admin.stdout).trim().split('\n').slice(-3).join(' | ')}`);
    }
  }

  options.onProgress?.(`starting Neo4j ${NEO4J_VERSION} in ${home}`);
  // A free port found here can be taken by another process before Neo4j binds it; then try new ones.
  for (let attempt = 1; ; attempt++) {
    try {
      const ports = await portsFor(home, attempt === 1);
      return await launch(home, ports, { env, classpath, heap, pageCache, password, timeoutMs: options.timeoutMs ?? 180_000 });
    } catch (error) {
      if (attempt >= 3 || !(error instanceof PortTakenError)) throw error instanceof PortTakenError ? error.cause : error;
    }
  }
}

class PortTakenError extends Error {}

interface LaunchSettings {
  env: NodeJS.ProcessEnv;
  classpath: string;
  heap: string;
  pageCache: string;
  password: string;
  timeoutMs: number;
}

/** Writes the config for these ports, starts the JVM and waits until every database is online. */
async function launch(home: string, { boltPort, httpPort }: { boltPort: number; httpPort: number }, settings: LaunchSettings): Promise<LocalNeo4jInfo> {
  writeConfig(home, boltPort, httpPort, settings.heap, settings.pageCache);
  const logFd = openSync(join(home, CONSOLE_LOG), 'a');
  const child = spawn(
    javaBinary(),
    [...jvmArgs(settings.heap), '-cp', settings.classpath, 'org.neo4j.server.CommunityEntryPoint', `--home-dir=${home}`, `--config-dir=${join(home, 'conf')}`, '--console-mode'],
    { env: settings.env, detached: true, stdio: ['ignore', logFd, logFd] },
  );
  closeSync(logFd);
  child.unref();
  let exitCode: number | null | undefined;
  child.on('exit', (code, signal) => {
    exitCode = code ?? (signal ? -1 : null);
  });
  const pid = child.pid;
  if (pid === undefined) throw new RingwatchError('NEO4J_START_FAILED', 'could not start Java for Neo4j');
  const state: State = { pid, boltPort, httpPort, version: NEO4J_VERSION };
  writeFileSync(join(home, STATE_FILE), `${JSON.stringify(state)}\n`);
  const info = infoFor(home, state, settings.password);

  const deadline = Date.now() + settings.timeoutMs;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) {
      const tail = logTail(home);
      const failure = new RingwatchError('NEO4J_START_FAILED', `Neo4j exited during start (code ${exitCode}); log says:\n${tail}`);
      if (new RegExp(`:(${boltPort}|${httpPort}) is already in use`).test(tail)) throw new PortTakenError('port taken', { cause: failure });
      throw failure;
    }
    const ready = await readiness(info.uri, settings.password);
    if (ready.state === 'online') return info;
    if (ready.state === 'failed') {
      await stopLocalNeo4j(home);
      throw new RingwatchError('NEO4J_START_FAILED', `Neo4j started but ${ready.reason}; log says:\n${logTail(home)}`);
    }
    await sleep(500);
  }
  await stopLocalNeo4j(home);
  throw new RingwatchError('NEO4J_START_FAILED', `Neo4j did not answer on ${info.uri} within ${Math.round(settings.timeoutMs / 1000)} s; log says:\n${logTail(home)}`);
}

/** Stops the instance of `home` cleanly (SIGTERM, then SIGKILL after the timeout). */
export async function stopLocalNeo4j(homeDir: string, timeoutMs = 60_000): Promise<{ stopped: boolean; pid?: number }> {
  const home = resolve(homeDir);
  const state = readState(home);
  if (!state || !isOurNeo4j(state.pid, home)) return { stopped: false };
  process.kill(state.pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isOurNeo4j(state.pid, home)) return { stopped: true, pid: state.pid };
    await sleep(200);
  }
  process.kill(state.pid, 'SIGKILL');
  await sleep(500);
  return { stopped: true, pid: state.pid };
}

/** True when `dir` looks like a home this module made (used before deleting test homes). */
export function isLocalNeo4jHome(dir: string): boolean {
  return existsSync(join(dir, 'conf', 'neo4j.conf')) && readdirSync(dir).includes(PASSWORD_FILE);
}
