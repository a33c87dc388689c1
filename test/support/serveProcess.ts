import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';

export interface ServeProcess {
  /** `http://127.0.0.1:<port>` */
  base: string;
  child: ChildProcessByStdio<null, Readable, Readable>;
  /** Everything the process wrote to stderr so far (its log lines and messages). */
  stderr: () => string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/**
 * Starts the real `ringwatch serve` on a free loopback port with `env`, and waits for its listening
 * line. `nodeArgs` go to node before the script (a benchmark's `--cpu-prof`, which NODE_OPTIONS refuses).
 */
export async function startServe(env: NodeJS.ProcessEnv, nodeArgs: readonly string[] = []): Promise<ServeProcess> {
  const child = spawn('node', [...nodeArgs, 'bin/ringwatch.js', 'serve', '--port', '0', '--host', '127.0.0.1'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line: ${stderr}`)), 60_000);
    const look = () => {
      const match = /ringwatch API on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
      if (match?.[1]) {
        clearTimeout(timer);
        child.stderr.off('data', look);
        resolve(match[1]);
      }
    };
    child.stderr.on('data', look);
    void exited.then((code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  return { base, child, stderr: () => stderr, exited };
}

/** The process's JSON log lines (pino), other lines skipped. */
export function logLines(stderr: string): Array<Record<string, unknown>> {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
