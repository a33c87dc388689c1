/**
 * Starts one disposable Neo4j for the whole test run (or uses NEO4J_URI, or a testcontainers Neo4j
 * when RINGWATCH_TEST_NEO4J=docker) and hands its connection to the suites; a managed one is
 * stopped and its folder deleted after the run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadConfig, type Neo4jConnection } from '../../src/config.ts';
import { chooseNeo4jSource, obtainNeo4j } from '../../src/graph/neo4jSource.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    neo4j: Neo4jConnection;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const home = mkdtempSync(join(tmpdir(), 'ringwatch-test-neo4j-'));
  const source = chooseNeo4jSource(loadConfig(), 'test', home);
  const started = performance.now();
  // Small sizes: test data is tiny, and the test process shares the machine's 2 cores.
  const neo4j = await obtainNeo4j(source, { heap: '1g', pageCache: '256m' });
  process.stderr.write(`test Neo4j (${neo4j.source}) ready at ${neo4j.connection.uri} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  project.provide('neo4j', neo4j.connection);
  return async () => {
    await neo4j.stop();
    rmSync(home, { recursive: true, force: true });
  };
}
