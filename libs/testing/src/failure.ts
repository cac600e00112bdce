// How a failed gRPC call reads to a test: its status code name, message and field violations.
import { readErrorDetails, type ErrorDetails, type StatusLike } from '@blog/framework';

/** failureOf resolves with the error details of a call that must fail, and rejects if it succeeded. */
export async function failureOf(call: Promise<unknown>): Promise<ErrorDetails> {
  try {
    await call;
  } catch (error) {
    return readErrorDetails(error as StatusLike);
  }
  throw new Error('expected the call to fail');
}
