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
  ])('finds the repeated key in %s', (text, path) => {
    expect(firstDuplicateKey(text)).toBe(path);
  });

  it.each(['{"a":1,"b":{"a":2}}', '[{"a":1},{"a":2}]', '{}', 'not json', '{"a":'])('finds none in %s', (text) => {
    expect(firstDuplicateKey(text)).toBeNull();
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
