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

/** An object or array the scan is inside: the keys its object has given so far (null for an array), and where it is. */
interface Frame {
  keys: Set<string> | null;
  /** The member's key being read (objects) or the element's index (arrays). */
  key: string;
  index: number;
}

/**
 * The path (`body.a.b[2].c`) of the first object key that appears twice in one object, or null.
 * Text that is not JSON is left for the route's validator to refuse. One pass over the text with
 * a stack of its own (a body nested a million deep cannot overflow the call stack), keys decoded
 * only when they hold an escape (`"\u0061"` is the key `a`): this runs on every body in the path
 * of a screening, where building a syntax tree was about 3 % of the service's CPU.
 */
export function firstDuplicateKey(text: string): string | null {
  const stack: Frame[] = [];
  const n = text.length;
  let i = 0;
  // 'value': a value comes next; 'key': a member's key (or, right after '{', the end); 'after': a ',' or the container's end.
  let expect: 'value' | 'key' | 'firstKey' | 'after' = 'value';
  let duplicate: string | null = null;
  for (;;) {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (i >= n) break;
    const ch = text[i];
    const top = stack.at(-1);
    if (expect === 'value') {
      if (ch === '{' || ch === '[') {
        stack.push({ keys: ch === '{' ? new Set() : null, key: '', index: 0 });
        i++;
        expect = ch === '{' ? 'firstKey' : 'value';
        if (ch === '[') {
          while (i < n && isSpace(text.charCodeAt(i))) i++;
          if (text[i] === ']') {
            stack.pop();
            i++;
            expect = 'after';
          }
        }
      } else if (ch === '"') {
        i = endOfString(text, i);
        if (i < 0) return null;
        expect = 'after';
      } else {
        const start = i;
        while (i < n && !isSpace(text.charCodeAt(i)) && text[i] !== ',' && text[i] !== ']' && text[i] !== '}') i++;
        if (i === start) return null;
        expect = 'after';
      }
    } else if (expect === 'key' || expect === 'firstKey') {
      if (ch === '}' && expect === 'firstKey' && top) {
        stack.pop();
        i++;
        expect = 'after';
        continue;
      }
      if (ch !== '"' || !top?.keys) return null;
      const end = endOfString(text, i);
      if (end < 0) return null;
      const quoted = text.slice(i, end);
      const name = quoted.includes('\\') ? (JSON.parse(quoted) as string) : quoted.slice(1, -1);
      if (top.keys.has(name)) duplicate ??= `${pathOf(stack.slice(0, -1))}.${fieldName(name)}`;
      top.keys.add(name);
      top.key = name;
      i = end;
      while (i < n && isSpace(text.charCodeAt(i))) i++;
      if (text[i] !== ':') return null;
      i++;
      expect = 'value';
    } else {
      if (!top) return null; // something after the document's one value
      if (ch === ',') {
        i++;
        if (top.keys) expect = 'key';
        else {
          top.index++;
          expect = 'value';
        }
      } else if (ch === (top.keys ? '}' : ']')) {
        stack.pop();
        i++;
        expect = 'after';
      } else return null;
    }
  }
  if (stack.length > 0 || expect !== 'after' || duplicate === null) return null;
  // The scan takes any run of characters for a number or a literal: a duplicate in text that is
  // not JSON after all is the validator's to refuse, as malformed.
  try {
    JSON.parse(text);
  } catch {
    return null;
  }
  return duplicate;
}

/** `body` and the keys and indices of the frames that lead to one. */
function pathOf(frames: readonly Frame[]): string {
  let path = 'body';
  for (const frame of frames) path += frame.keys ? `.${fieldName(frame.key)}` : `[${frame.index}]`;
  return path;
}

/** Where the string that opens at `start` (its quote) ends, one past its closing quote; -1 when it does not. */
function endOfString(text: string, start: number): number {
  for (let j = start + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x5c) j++;
    else if (c === 0x22) return j + 1;
  }
  return -1;
}

/** JSON's whitespace: space, tab, line feed, carriage return. */
function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** A key as it may appear in an answer: the schema's own names, never an arbitrary string echoed back. */
function fieldName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name) ? name : '(key)';
}
