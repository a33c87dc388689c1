import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CENSOR, censorPersonalData, createLogger } from '../../src/log.ts';

/** A logger writing into an array of parsed lines. */
function capture(): { lines: Record<string, unknown>[]; logger: ReturnType<typeof createLogger> } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'info', destination }) };
}

describe('the logger', () => {
  it('censors personal keys at the top, one and two levels down, and in arrays of records', () => {
    const { lines, logger } = capture();
    logger.info(
      {
        accountId: 'CN-ACC-1',
        seller: { sellerId: 'S1', address: { line1: 'x' }, contact: { email: 'a@b.c', city: 'Shenzhen' } },
        rows: [{ senderPhone: '123', sellerId: 'S2' }],
        params: { batch: [{ holderName: 'Li Wei' }] },
      },
      'loaded',
    );
    expect(lines[0]).toMatchObject({
      accountId: CENSOR,
      seller: { sellerId: 'S1', address: CENSOR, contact: { email: CENSOR, city: 'Shenzhen' } },
      rows: [{ senderPhone: CENSOR, sellerId: 'S2' }],
      params: { batch: [{ holderName: CENSOR }] },
      msg: 'loaded',
    });
    expect(JSON.stringify(lines)).not.toMatch(/CN-ACC-1|Li Wei|a@b\.c/);
  });

  it('leaves the caller\'s objects as they were, and returns a line without personal data as it is', () => {
    const record = { sellerId: 'S1', nested: { phone: '123', keep: 1 }, list: [{ token: 't' }] };
    const censored = censorPersonalData(record);
    expect(censored).toEqual({ sellerId: 'S1', nested: { phone: CENSOR, keep: 1 }, list: [{ token: CENSOR }] });
    expect(record).toEqual({ sellerId: 'S1', nested: { phone: '123', keep: 1 }, list: [{ token: 't' }] });
    const clean = { requestId: 'r', route: '/v1/rings', status: 200, ms: 3 };
    expect(censorPersonalData(clean)).toBe(clean);
  });

  it('keeps an error whole for its serialiser', () => {
    const { lines, logger } = capture();
    logger.error({ err: new Error('boom') }, 'failed');
    expect(lines[0]?.err).toMatchObject({ type: 'Error', message: 'boom' });
  });
});
