import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { SUBCOMMANDS } from '../../../src/cli/program.ts';
import { NEO4J_VERSION } from '../../../src/graph/localNeo4j.ts';
import { VERSION } from '../../../src/version.ts';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'ringwatch-program-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the real `node bin/ringwatch.js ARGS` and returns its output and every module URL it loaded. */
async function modulesLoadedBy(args: string[]): Promise<{ stdout: string; stderr: string; modules: string[] }> {
  const log = join(dir, `modules-${args.join('-').replace(/[^a-z]/gi, '')}.log`);
  const hooks = pathToFileURL('test/support/moduleLogHooks.mjs').href;
  const registerHooks = `data:text/javascript,import { register } from 'node:module'; register(${JSON.stringify(hooks)});`;
  const env = { ...process.env, RINGWATCH_MODULE_LOG: log, RINGWATCH_DATA_DIR: join(dir, 'data') };
  const { stdout, stderr } = await run('node', ['--import', registerHooks, 'bin/ringwatch.js', ...args], { env }).catch((error: { stdout: string; stderr: string }) => error);
  return { stdout, stderr, modules: readFileSync(log, 'utf8').trim().split('\n') };
}

const heavy = (modules: string[], names: string[]) => modules.filter((url) => names.some((name) => url.includes(`/node_modules/${name}/`)));

describe('the ringwatch program', () => {
  it('lists every subcommand with its own description, and every *Command of src/cli', async () => {
    for (const { name, summary, load } of SUBCOMMANDS) {
      const command = await load();
      expect(command.name()).toBe(name);
      // The neo4j command names the pinned version, which its summary leaves out.
      expect(command.description().replace(` ${NEO4J_VERSION}`, '')).toBe(summary);
    }
    const defined = readdirSync('src/cli')
      .flatMap((file) => [...readFileSync(join('src/cli', file), 'utf8').matchAll(/^export function (\w+)Command\(/gm)].map((m) => m[1]))
      .sort();
    expect(defined).toEqual(SUBCOMMANDS.map((s) => s.name).sort());
  });

  it('answers --help from the compiled dist/ without loading any subcommand, neo4j-driver, hono or zod', async () => {
    const { stdout, stderr, modules } = await modulesLoadedBy(['--help']);
    for (const { name } of SUBCOMMANDS) expect(stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    expect(stderr).toBe('');
    expect(modules.some((url) => url.endsWith('/dist/cli/main.js'))).toBe(true);
    expect(modules.filter((url) => url.includes('/src/'))).toEqual([]);
    expect(modules.filter((url) => /\/dist\/cli\/(?!main|program)/.test(url))).toEqual([]);
    expect(heavy(modules, ['neo4j-driver', 'neo4j-driver-core', 'hono', '@hono', 'zod', 'pino', 'graphology'])).toEqual([]);
  });

  it('prints the version of package.json', async () => {
    const { stdout } = await modulesLoadedBy(['--version']);
    expect(stdout.trim()).toBe(VERSION);
    expect(VERSION).toBe((JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version);
  });

  it('runs verify, which needs no database, without loading neo4j-driver', async () => {
    const { stderr, modules } = await modulesLoadedBy(['verify', join(dir, 'missing.zip')]);
    expect(stderr).toMatch(/^ringwatch: no trusted key was given/);
    expect(modules.some((url) => url.endsWith('/dist/cli/verify.js'))).toBe(true);
    expect(heavy(modules, ['neo4j-driver', 'neo4j-driver-core', 'hono', '@hono'])).toEqual([]);
  });
});
