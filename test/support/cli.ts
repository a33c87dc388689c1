import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { inject } from 'vitest';

const run = promisify(execFile);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `ringwatch` CLI against the run's test Neo4j and resolves with its exit code and
 * output. Pass RINGWATCH_DATA_DIR in `env` for commands that read the service's data folder, so
 * that a test never reads or writes the developer's own.
 */
export async function ringwatch(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const { uri, user, password } = inject('neo4j');
  try {
    const { stdout, stderr } = await run('node', ['bin/ringwatch.js', ...args], { env: { ...process.env, NEO4J_URI: uri, NEO4J_USER: user, NEO4J_PASSWORD: password, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
