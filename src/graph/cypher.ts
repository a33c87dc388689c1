import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RingwatchError } from '../errors.ts';
import { PROJECT_ROOT } from '../projectRoot.ts';

const CYPHER_DIR = join(PROJECT_ROOT, 'cypher', '/');
const cache = new Map<string, string>();

/**
 * Returns the Cypher statement stored in `cypher/<name>.cypher`. Every statement the service runs
 * lives there, parameterised, so that it can be read, reviewed and tested on its own.
 */
export function cypher(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    if (!/^[a-z0-9][a-z0-9/_-]*$/.test(name)) {
      throw new RingwatchError('CYPHER_NOT_FOUND', `not a Cypher statement name: ${name}`);
    }
    try {
      text = readFileSync(`${CYPHER_DIR}${name}.cypher`, 'utf8');
    } catch (error) {
      throw new RingwatchError('CYPHER_NOT_FOUND', `no Cypher statement named ${name} in cypher/`, { cause: error });
    }
    cache.set(name, text);
  }
  return text;
}

/** Splits a multi-statement file (schema migrations) on `;` line ends, dropping `//` comment lines. */
export function cypherStatements(name: string): string[] {
  return cypher(name)
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('//'))
    .join('\n')
    .split(/;\s*(?:\n|$)/)
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}
