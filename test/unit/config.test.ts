import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { isRingwatchError } from '../../src/errors.ts';
import { generatePassword } from '../../src/graph/localNeo4j.ts';
import { chooseNeo4jSource, NEO4J_DOCKER_IMAGE } from '../../src/graph/neo4jSource.ts';

describe('loadConfig', () => {
  it('has defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.externalNeo4j).toBeUndefined();
    expect(config.testNeo4j).toBe('managed');
    expect(config.logLevel).toBeUndefined();
  });

  it('reads an external Neo4j with its credentials and database', () => {
    const config = loadConfig({ NEO4J_URI: 'neo4j://cluster.example:7687', NEO4J_USER: 'rw', NEO4J_PASSWORD: 's3cret', NEO4J_DATABASE: 'market' });
    expect(config.externalNeo4j).toEqual({ uri: 'neo4j://cluster.example:7687', user: 'rw', password: 's3cret', database: 'market' });
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ NEO4J_URI: '', LOG_LEVEL: '' }).externalNeo4j).toBeUndefined();
  });

  it.each([
    [{ NEO4J_URI: 'http://localhost:7474', NEO4J_PASSWORD: 'x' }, /NEO4J_URI: must be a neo4j:\/\/ or bolt:\/\/ URI/],
    [{ NEO4J_URI: 'bolt://localhost:7687' }, /NEO4J_PASSWORD is not/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ RINGWATCH_TEST_NEO4J: 'podman' }, /RINGWATCH_TEST_NEO4J/],
  ])('rejects %o with a reason naming the variable', (env, reason) => {
    try {
      loadConfig(env);
      expect.unreachable('loadConfig accepted a bad configuration');
    } catch (error) {
      expect(isRingwatchError(error, 'CONFIG_INVALID')).toBe(true);
      expect((error as Error).message).toMatch(reason);
    }
  });
});

describe('chooseNeo4jSource', () => {
  const external = { NEO4J_URI: 'bolt://db:7687', NEO4J_PASSWORD: 'pw' };

  it('prefers NEO4J_URI for running and for tests, even when docker is asked for', () => {
    expect(chooseNeo4jSource(loadConfig(external), 'run').kind).toBe('external');
    expect(chooseNeo4jSource(loadConfig({ ...external, RINGWATCH_TEST_NEO4J: 'docker' }), 'test').kind).toBe('external');
  });

  it('uses testcontainers only for tests that ask for docker', () => {
    expect(chooseNeo4jSource(loadConfig({ RINGWATCH_TEST_NEO4J: 'docker' }), 'test')).toEqual({ kind: 'docker', image: NEO4J_DOCKER_IMAGE });
    expect(chooseNeo4jSource(loadConfig({ RINGWATCH_TEST_NEO4J: 'docker' }), 'run').kind).toBe('managed');
  });

  it('falls back to the managed local Neo4j, in the given, configured or default home', () => {
    expect(chooseNeo4jSource(loadConfig({}), 'test', '/tmp/h')).toEqual({ kind: 'managed', home: '/tmp/h' });
    expect(chooseNeo4jSource(loadConfig({ RINGWATCH_HOME: '/srv/rw' }), 'run')).toEqual({ kind: 'managed', home: '/srv/rw' });
    const fallback = chooseNeo4jSource(loadConfig({}), 'run');
    expect(fallback.kind === 'managed' && fallback.home.endsWith('.cache/neo4j-home')).toBe(true);
  });
});

describe('generatePassword', () => {
  it('never starts with "-", which neo4j-admin would read as an option', () => {
    const passwords = Array.from({ length: 2000 }, () => generatePassword());
    expect(passwords.every((p) => /^[A-Za-z]/.test(p))).toBe(true);
    expect(new Set(passwords).size).toBe(passwords.length);
    expect(passwords.every((p) => p.length >= 24)).toBe(true);
  });
});
