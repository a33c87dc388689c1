import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RingwatchError } from '../errors.ts';
import { PROJECT_ROOT } from '../projectRoot.ts';

const CYPHER_DIR = join(PROJECT_ROOT, 'cypher', '/');
const cache = new Map<string, string>();

/**
 * Returns the Cypher statement stored in `cypher/<name>.cypher`. Every statement the service runs
 * lives there, parameterised, so that it can be read, reviewed and tested on its own. The text
 * returned leaves out the file's comment lines: it is sent with every query, and the driver writes
 * to its socket each time 1,400 bytes of a message fill, so comments that doubled a statement's
 * length cost a socket write more on every read in the API's path.
 */
export function cypher(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    if (!/^[a-z0-9][a-z0-9/_-]*$/.test(name)) {
      throw new RingwatchError('CYPHER_NOT_FOUND', `not a Cypher statement name: ${name}`);
    }
    try {
      text = withoutCommentLines(readFileSync(`${CYPHER_DIR}${name}.cypher`, 'utf8'));
    } catch (error) {
      throw new RingwatchError('CYPHER_NOT_FOUND', `no Cypher statement named ${name} in cypher/`, { cause: error });
    }
    cache.set(name, text);
  }
  return text;
}

/** The text without its `//` comment lines (a comment after code on its line stays). */
function withoutCommentLines(text: string): string {
  return text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('//'))
    .join('\n');
}

/** Splits a multi-statement file (schema migrations) on `;` line ends (comment lines are gone already). */
export function cypherStatements(name: string): string[] {
  return cypher(name)
    .split(/;\s*(?:\n|$)/)
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}
