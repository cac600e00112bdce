import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import {
  encodeStatusDetails,
  INTERNAL_MESSAGE,
  InvalidArgumentError,
  mapError,
  NotFoundError,
  readErrorDetails,
  STATUS_DETAILS_KEY,
  UnavailableError,
} from './index';

function serviceError(code: status, details: string, metadata = new Metadata()): ServiceError {
  return Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details, metadata });
}

describe('mapError', () => {
  it('keeps a domain error code and message', () => {
    expect(mapError(new NotFoundError('post not found')).status).toMatchObject({
      code: status.NOT_FOUND,
      details: 'post not found',
    });
    expect(mapError(new UnavailableError()).status.code).toBe(status.UNAVAILABLE);
    expect(mapError(new NotFoundError()).hidden).toBe(false);
  });

  it('hides anything else behind INTERNAL, whatever it looks like', () => {
    for (const thrown of [
      new Error('relation "users.users" does not exist'),
      Object.assign(new Error('duplicate key'), {
        code: '23505',
        detail: 'Key (nickname)=(ada) already exists.',
      }),
      'a string',
      undefined,
      { code: status.NOT_FOUND, details: 'not an Error, not trusted' },
    ]) {
      expect(mapError(thrown)).toMatchObject({
        status: { code: status.INTERNAL, details: INTERNAL_MESSAGE },
        hidden: true,
      });
    }
  });

  it("relays a downstream service's business status with its details, but not its transport messages", () => {
    const rich = new Metadata();
    rich.set(
      STATUS_DETAILS_KEY,
      encodeStatusDetails(status.INVALID_ARGUMENT, 'bad', { violations: [{ field: 'f', message: 'm' }] }),
    );
    const relayed = mapError(serviceError(status.INVALID_ARGUMENT, 'bad', rich));
    expect(relayed.hidden).toBe(false);
    expect(readErrorDetails(relayed.status).violations).toEqual([{ field: 'f', message: 'm' }]);

    const down = mapError(
      serviceError(
        status.UNAVAILABLE,
        'No connection established. Last error: connect ECONNREFUSED 10.1.2.3:7052',
      ),
    );
    expect(down).toMatchObject({
      status: { code: status.UNAVAILABLE, details: 'service unavailable' },
      hidden: true,
    });
    expect(mapError(serviceError(status.INTERNAL, 'stack at foo.ts:1')).status.details).toBe(
      INTERNAL_MESSAGE,
    );
  });
});

describe('rich error details', () => {
  it('round-trips violations and reason through the binary google.rpc.Status trailer', () => {
    const mapped = mapError(
      new InvalidArgumentError('invalid request', {
        violations: [
          { field: 'email', message: 'must be an email address' },
          { field: 'tags[1]', message: 'too long' },
        ],
        reason: 'VALIDATION',
      }),
    );
    expect(mapped.status.metadata.get(STATUS_DETAILS_KEY)[0]).toBeInstanceOf(Buffer);
    expect(readErrorDetails(mapped.status)).toEqual({
      code: status.INVALID_ARGUMENT,
      codeName: 'INVALID_ARGUMENT',
      message: 'invalid request',
      violations: [
        { field: 'email', message: 'must be an email address' },
        { field: 'tags[1]', message: 'too long' },
      ],
      reason: 'VALIDATION',
    });
  });

  it('reads a plain status with no trailer', () => {
    expect(readErrorDetails({ code: status.NOT_FOUND, details: 'gone' })).toEqual({
      code: status.NOT_FOUND,
      codeName: 'NOT_FOUND',
      message: 'gone',
      violations: [],
    });
  });
});
