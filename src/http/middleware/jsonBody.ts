import { parse, type AnyNode } from '@humanwhocodes/momoa';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.ts';
import { problems } from '../problems.ts';

/**
 * A JSON request body read one way only. `{"dryRun":true,"dryRun":false}` means whatever a given
 * parser keeps (JSON.parse the last, others the first): a proxy that checked one copy and a
 * service that acted on the other disagree about what was asked, so a key given twice is a 400.
 * A charset other than UTF-8 (RFC 8259 allows no other) is a 415, not a guess. Runs after the
 * route's key check, so an unauthenticated caller learns nothing about bodies; the text it reads
 * is cached by Hono, and the route's validator parses that same text.
 */
export function strictJsonBody(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const contentType = c.req.header('content-type');
    const charset = contentType ? /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(contentType)?.[1]?.toLowerCase() : undefined;
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      throw problems.unsupportedMediaType('send the request body as application/json in UTF-8 (no other charset)');
    }
    if (contentType && /^application\/json\s*(;|$)/i.test(contentType)) {
      const duplicate = firstDuplicateKey(await c.req.text());
      if (duplicate !== null) throw problems.duplicateKey(duplicate);
    }
    await next();
  };
}

/**
 * The path (`body.a.b[2].c`) of the first object key that appears twice in one object, or null.
 * Text that is not JSON is left for the route's validator to refuse.
 */
export function firstDuplicateKey(text: string): string | null {
  let root: AnyNode;
  try {
    root = parse(text, { mode: 'json' }).body;
  } catch {
    return null;
  }
  const walk = (node: AnyNode, path: string): string | null => {
    if (node.type === 'Object') {
      const seen = new Set<string>();
      for (const member of node.members) {
        const name = member.name.type === 'String' ? member.name.value : member.name.name;
        const here = `${path}.${fieldName(name)}`;
        if (seen.has(name)) return here;
        seen.add(name);
        const inside = walk(member.value, here);
        if (inside) return inside;
      }
    } else if (node.type === 'Array') {
      for (const [index, element] of node.elements.entries()) {
        const inside = walk(element.value, `${path}[${index}]`);
        if (inside) return inside;
      }
    }
    return null;
  };
  return walk(root, 'body');
}

/** A key as it may appear in an answer: the schema's own names, never an arbitrary string echoed back. */
function fieldName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name) ? name : '(key)';
}
