import { describe, expect, it } from 'vitest';
import { firstDuplicateKey } from '../../../src/http/middleware/jsonBody.ts';
import { allowedMethods } from '../../../src/http/problem.ts';

describe('firstDuplicateKey', () => {
  it.each([
    ['{"dryRun":true,"dryRun":false}', 'body.dryRun'],
    // The same key spelled with an escape is the same key to every parser.
    ['{"dryRun":true,"\\u0064ryRun":false}', 'body.dryRun'],
    ['{"a":{"b":1,"b":2}}', 'body.a.b'],
    ['{"list":[{"x":1},{"y":1,"y":2}]}', 'body.list[1].y'],
    ['{"<script>":1,"<script>":2}', 'body.(key)'],
    [' { "a" : [ [ { "b" : 1 , "b" : 2 } ] ] } ', 'body.a[0][0].b'],
    ['[1,"x",{"k":{"z":null}},{"q":[],"q":{}}]', 'body[3].q'],
    ['{"s":"a \\" , \\"s\\": 1","s":2}', 'body.s'],
  ])('finds the repeated key in %s', (text, path) => {
    expect(firstDuplicateKey(text)).toBe(path);
  });

  it.each([
    '{"a":1,"b":{"a":2}}',
    '[{"a":1},{"a":2}]',
    '{}',
    '[]',
    '"a"',
    'not json',
    '{"a":',
    // A quote inside a string is not a key.
    '{"a":"\\"a\\":1"}',
    // Not JSON, so the validator's to refuse: truncated, a bad literal, two documents, a trailing comma.
    '{"a":1,"a"',
    '{"a":tru,"a":1}',
    '{"a":1,"a":2} {}',
    '{"a":1,"a":2,}',
  ])('finds none in %s', (text) => {
    expect(firstDuplicateKey(text)).toBeNull();
  });

  it('scans a body nested far deeper than the call stack goes', () => {
    const depth = 200_000;
    expect(firstDuplicateKey(`${'['.repeat(depth)}{"a":1,"a":2}${']'.repeat(depth)}`)).toBe(`body${'[0]'.repeat(depth)}.a`);
    expect(firstDuplicateKey(`${'{"x":'.repeat(depth)}1${'}'.repeat(depth)}`)).toBeNull();
  });
});

describe('allowedMethods', () => {
  const routes = [
    { method: 'ALL', path: '/v1/*' },
    { method: 'GET', path: '/v1/rings' },
    { method: 'GET', path: '/v1/rings/:ringId' },
    { method: 'POST', path: '/v1/rings/:ringId/closures' },
  ];
  it('names the methods of the path, HEAD with GET, and none for an unknown path', () => {
    expect(allowedMethods(routes, '/v1/rings/R-AAAAAAAA')).toEqual(['GET', 'HEAD']);
    expect(allowedMethods(routes, '/v1/rings/R-AAAAAAAA/closures')).toEqual(['POST']);
    expect(allowedMethods(routes, '/v1/rings/R-A/B/closures')).toEqual([]);
    expect(allowedMethods(routes, '/v1/nothing')).toEqual([]);
  });
});
