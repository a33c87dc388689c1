// Whether dist/ is a build of the src/ beside it. Plain JavaScript, so that bin/ringwatch.js can ask
// before anything is compiled; the test setup asks the same question before it rebuilds.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Written by scripts/build.js after the compiler succeeded; its time is the build's time. */
export const BUILD_STAMP = join('dist', '.build-stamp');

/** What the build reads besides src/: a change to either changes what it emits. */
const BUILD_INPUTS = ['tsconfig.json', 'tsconfig.build.json'];

/**
 * Null when `root`'s dist/ was built after the last change to src/ (any file edited, added,
 * removed or renamed: a folder's time moves when an entry is added or removed) and to the build
 * configuration, or when there is no src/ (an install that ships dist/ alone); else a sentence
 * saying why dist/ cannot be trusted to be the current code. Times, as make does: a file copied
 * with its old time kept goes unseen.
 */
export function distStaleness(root) {
  let built;
  try {
    built = statSync(join(root, BUILD_STAMP)).mtimeMs;
  } catch {
    return 'dist/ has not been built';
  }
  let newer;
  try {
    newer = newerThan(join(root, 'src'), built);
  } catch (error) {
    if (error.code === 'ENOENT') return null;
    throw error;
  }
  for (const file of BUILD_INPUTS) {
    if (newer) break;
    try {
      if (statSync(join(root, file)).mtimeMs > built) newer = join(root, file);
    } catch {
      // absent from this install: nothing to compare
    }
  }
  return newer ? `dist/ is older than ${newer.slice(root.length).replace(/^[/\\]/, '')}` : null;
}

/** The first path under `dir` (itself included) changed after `time`, or undefined. */
function newerThan(dir, time) {
  if (statSync(dir).mtimeMs > time) return dir;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const found = entry.isDirectory() ? newerThan(path, time) : statSync(path).mtimeMs > time ? path : undefined;
    if (found) return found;
  }
  return undefined;
}
