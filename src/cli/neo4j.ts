import { Command } from 'commander';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { RingwatchError } from '../errors.ts';
import {
  defaultNeo4jHome,
  fetchNeo4j,
  isLocalNeo4jHome,
  localNeo4jStatus,
  NEO4J_VERSION,
  startLocalNeo4j,
  stopLocalNeo4j,
} from '../graph/localNeo4j.ts';
import { printJson, say } from './context.ts';

/** `ringwatch neo4j fetch|start|status|stop`: the managed local Neo4j. */
export function neo4jCommand(): Command {
  const neo4j = new Command('neo4j').description(`run a local Neo4j ${NEO4J_VERSION} Community from Maven Central's jars (no Docker needed)`);
  const homeOption = ['--home <dir>', 'the folder holding its config, data, logs and password', defaultNeo4jHome()] as const;

  neo4j
    .command('fetch')
    .description("download Neo4j's jars with Maven into the project's cache (.cache/neo4j), once")
    .option('--json', 'print the result as JSON')
    .action((opts: { json?: boolean }) => {
      const result = fetchNeo4j(say);
      if (opts.json) printJson({ ...result, version: NEO4J_VERSION });
      else say(result.fetched ? `fetched Neo4j ${NEO4J_VERSION} in ${result.seconds.toFixed(1)} s` : `Neo4j ${NEO4J_VERSION} jars already in ${result.libDir}`);
    });

  neo4j
    .command('start')
    .description('start it (or answer with the one already running in that home) and wait until Bolt answers')
    .option(...homeOption)
    .option('--heap <size>', 'JVM heap, e.g. 2g')
    .option('--page-cache <size>', 'page cache, e.g. 2g')
    .option('--timeout <seconds>', 'how long to wait for Bolt', '180')
    .option('--json', 'print {uri, user, password, home, pid, version} as JSON')
    .action(async (opts: { home: string; heap?: string; pageCache?: string; timeout: string; json?: boolean }) => {
      const started = performance.now();
      const info = await startLocalNeo4j({
        home: opts.home,
        heap: opts.heap,
        pageCache: opts.pageCache,
        timeoutMs: Number(opts.timeout) * 1000,
        onProgress: opts.json ? undefined : say,
      });
      if (opts.json) {
        const { uri, user, password, home, pid, version } = info;
        printJson({ uri, user, password, home, pid, version });
      } else {
        say(`Neo4j ${info.version} is up in ${((performance.now() - started) / 1000).toFixed(1)} s`);
        say(`  bolt:    ${info.uri} (user ${info.user}, password in ${info.home}/password)`);
        say(`  browser: ${info.browserUrl}`);
      }
    });

  neo4j
    .command('status')
    .description('say whether it runs')
    .option(...homeOption)
    .option('--json', 'print the status as JSON')
    .action(async (opts: { home: string; json?: boolean }) => {
      const info = await localNeo4jStatus(opts.home);
      if (opts.json) printJson(info ? { running: true, uri: info.uri, home: info.home, pid: info.pid, version: info.version, browserUrl: info.browserUrl } : { running: false, home: resolve(opts.home) });
      else say(info ? `running: ${info.uri} (pid ${info.pid}), browser ${info.browserUrl}` : `not running in ${resolve(opts.home)}`);
      if (!info) process.exitCode = 3;
    });

  neo4j
    .command('stop')
    .description('stop it cleanly; the home folder may then be deleted')
    .option(...homeOption)
    .option('--delete', 'delete the home folder after stopping')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { home: string; delete?: boolean; json?: boolean }) => {
      const result = await stopLocalNeo4j(opts.home);
      if (opts.delete) {
        const home = resolve(opts.home);
        if (!isLocalNeo4jHome(home)) throw new RingwatchError('INPUT_INVALID', `${home} is not a ringwatch Neo4j home; not deleting it`);
        rmSync(home, { recursive: true, force: true });
      }
      if (opts.json) printJson({ ...result, home: resolve(opts.home), deleted: Boolean(opts.delete) });
      else say(result.stopped ? `stopped Neo4j (pid ${result.pid})` : `no Neo4j was running in ${resolve(opts.home)}`);
    });

  return neo4j;
}
