import { fileURLToPath } from 'node:url';

/**
 * The project's folder (package.json, cypher/, neo4j/, .cache/), for files read at run time. This
 * module sits one level below it both as src/projectRoot.ts (tests, tsx) and as the compiled
 * dist/projectRoot.js (the CLI), so one lookup serves both wherever the modules that use it move.
 */
export const PROJECT_ROOT = fileURLToPath(new URL('../', import.meta.url));
