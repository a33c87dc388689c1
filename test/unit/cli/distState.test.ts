import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUILD_STAMP, distStaleness } from '../../../scripts/dist-state.js';

describe('distStaleness (whether bin/ringwatch.js may run dist/)', () => {
  let root: string;
  const at = (path: string, seconds: number) => utimesSync(join(root, path), seconds, seconds);
  const write = (path: string, seconds: number) => {
    writeFileSync(join(root, path), '');
    at(path, seconds);
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ringwatch-dist-state-'));
    mkdirSync(join(root, 'src', 'cli'), { recursive: true });
    mkdirSync(join(root, 'dist'));
    write('src/cli/main.ts', 1000);
    write('src/errors.ts', 1000);
    write('tsconfig.json', 1000);
    at('src/cli', 1000);
    at('src', 1000);
    write(BUILD_STAMP, 2000);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('trusts a dist/ built after every source and the build configuration', () => {
    expect(distStaleness(root)).toBeNull();
  });

  it('refuses a dist/ never built, or whose build failed (no stamp)', () => {
    rmSync(join(root, BUILD_STAMP));
    expect(distStaleness(root)).toBe('dist/ has not been built');
  });

  it('names a source edited after the build', () => {
    at('src/cli/main.ts', 3000);
    expect(distStaleness(root)).toBe('dist/ is older than src/cli/main.ts');
  });

  it('notices a source removed or added after the build, by its folder', () => {
    rmSync(join(root, 'src/errors.ts'));
    expect(distStaleness(root)).toBe('dist/ is older than src');
  });

  it('notices a changed build configuration', () => {
    at('tsconfig.json', 3000);
    expect(distStaleness(root)).toBe('dist/ is older than tsconfig.json');
  });

  it('trusts dist/ as it is where there is no src/ (an install that ships dist/ alone)', () => {
    rmSync(join(root, 'src'), { recursive: true });
    expect(distStaleness(root)).toBeNull();
  });
});
