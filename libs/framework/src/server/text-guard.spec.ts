import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors';
import { NUL_VIOLATION_MESSAGE, nulViolations, refuseNul } from './text-guard';

describe('the NUL guard', () => {
  it('names every string holding U+0000 by its field path, nested and in lists', () => {
    expect(
      nulViolations({
        title: 'a\u0000',
        tags: ['ok', '\u0000'],
        meta: { eventId: 'x\u0000y', count: 3 },
        empty: null,
      }).map((v) => v.field),
    ).toEqual(['title', 'tags[1]', 'meta.eventId']);
  });

  it('leaves bytes, dates, numbers and clean text alone', () => {
    expect(
      nulViolations({
        raw: Buffer.from([0, 0, 0]),
        bytes: new Uint8Array([0]),
        at: new Date(0),
        n: 0,
        s: 'fine\u0001',
      }),
    ).toEqual([]);
  });

  it('throws INVALID_ARGUMENT with one violation per field', () => {
    expect(() => refuseNul({ ok: 'x' })).not.toThrow();
    try {
      refuseNul({ bio: '\u0000', nickname: '\u0000' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).code).toBe(status.INVALID_ARGUMENT);
      expect((error as InvalidArgumentError).violations).toEqual([
        { field: 'bio', message: NUL_VIOLATION_MESSAGE },
        { field: 'nickname', message: NUL_VIOLATION_MESSAGE },
      ]);
    }
  });
});
