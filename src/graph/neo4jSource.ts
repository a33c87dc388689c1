/**
 * Where Neo4j comes from, in the order docs/operations.md "Neo4j" gives: NEO4J_URI for an
 * existing server or cluster; otherwise, for tests on a machine with Docker that asked for it, a
 * testcontainers Neo4j; otherwise the managed local Neo4j. Never an in-memory fake.
 */
import type { Neo4jConnection, RingwatchConfig } from '../config.ts';
import { defaultNeo4jHome, startLocalNeo4j, stopLocalNeo4j, type StartOptions } from './localNeo4j.ts';

/** The Docker image the compose file and the testcontainers path use. */
export const NEO4J_DOCKER_IMAGE = 'neo4j:5.26-community';

export type Neo4jSource =
  | { kind: 'external'; connection: Neo4jConnection }
  | { kind: 'docker'; image: string }
  | { kind: 'managed'; home: string };

/** Picks the source without starting anything (pure, unit-tested). */
export function chooseNeo4jSource(config: RingwatchConfig, purpose: 'run' | 'test', managedHome?: string): Neo4jSource {
  if (config.externalNeo4j) return { kind: 'external', connection: config.externalNeo4j };
  if (purpose === 'test' && config.testNeo4j === 'docker') return { kind: 'docker', image: NEO4J_DOCKER_IMAGE };
  return { kind: 'managed', home: managedHome ?? config.neo4jHome ?? defaultNeo4jHome() };
}

export interface ObtainedNeo4j {
  connection: Neo4jConnection;
  source: Neo4jSource['kind'];
  /** Stops what was started here (a managed or docker Neo4j); an external server is left alone. */
  stop(): Promise<void>;
  browserUrl?: string;
}

/** Makes the chosen source usable: starts a managed Neo4j or a container when needed. */
export async function obtainNeo4j(
  source: Neo4jSource,
  options: Omit<StartOptions, 'home'> = {},
): Promise<ObtainedNeo4j> {
  switch (source.kind) {
    case 'external':
      return { connection: source.connection, source: 'external', stop: async () => {} };
    case 'managed': {
      const info = await startLocalNeo4j({ ...options, home: source.home });
      return {
        connection: { uri: info.uri, user: info.user, password: info.password },
        source: 'managed',
        browserUrl: info.browserUrl,
        stop: async () => {
          await stopLocalNeo4j(source.home);
        },
      };
    }
    case 'docker': {
      // Loaded only on this path: machines without Docker never touch testcontainers.
      const { Neo4jContainer } = await import('@testcontainers/neo4j');
      const container = await new Neo4jContainer(source.image).withPassword(`rw-${Date.now().toString(36)}`).start();
      return {
        connection: { uri: container.getBoltUri(), user: container.getUsername(), password: container.getPassword() },
        source: 'docker',
        stop: async () => {
          await container.stop();
        },
      };
    }
  }
}
