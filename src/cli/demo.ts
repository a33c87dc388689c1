import { Command } from 'commander';
import { say, withDb } from './context.ts';

/**
 * `ringwatch demo`: the main job on a fresh machine. Starts the managed Neo4j (fetching it the
 * first time), applies the schema and says how to look at it.
 */
export function demoCommand(): Command {
  return new Command('demo')
    .description('start Neo4j, set up the schema and show where to look (the README\'s first command)')
    .action(async () => {
      await withDb('cli:demo', async ({ neo4j, db }) => {
        const { version } = await db.verify();
        say(`Neo4j ${version} is ready (${neo4j.source}) at ${neo4j.connection.uri}`);
        if (neo4j.browserUrl) say(`Open Neo4j Browser: ${neo4j.browserUrl}  (user neo4j, password: ${neo4j.connection.password})`);
      });
    });
}
