import { Metadata, status } from '@grpc/grpc-js';
import { encodeStatusDetails } from '@blog/framework';
import { describe, expect, it } from 'vitest';
import { failureOf } from './failure';

describe('failureOf', () => {
  it('reads the status, message and field violations of a failed call', async () => {
    const metadata = new Metadata();
    const violations = [{ field: 'nickname', message: 'must be 3 to 30 characters' }];
    metadata.set(
      'grpc-status-details-bin',
      encodeStatusDetails(status.INVALID_ARGUMENT, 'invalid request', { violations }),
    );
    const call = Promise.reject(
      Object.assign(new Error('3 INVALID_ARGUMENT'), {
        code: status.INVALID_ARGUMENT,
        details: 'invalid request',
        metadata,
      }),
    );
    await expect(failureOf(call)).resolves.toMatchObject({
      codeName: 'INVALID_ARGUMENT',
      message: 'invalid request',
      violations,
    });
  });

  it('rejects when the call succeeded', async () => {
    await expect(failureOf(Promise.resolve({}))).rejects.toThrow('expected the call to fail');
  });
});
