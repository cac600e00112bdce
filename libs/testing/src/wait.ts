// Polling for what arrives asynchronously (an event on a topic, a log line, a row), and unwrapping what must be there.

/** WAIT_TIMEOUT_MS is how long waitFor polls by default: long enough for the outbox, Debezium and Kafka. */
export const WAIT_TIMEOUT_MS = 30_000;

/** Pending is what a waitFor check returns while the thing waited for is not there yet. */
export type Pending = undefined | false;

/**
 * waitFor polls `check` every `intervalMs` until it returns something other than undefined or false, and resolves
 * with that; it rejects naming `what` once `timeoutMs` have passed. A check that throws fails at once.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | Pending> | T | Pending,
  timeoutMs = WAIT_TIMEOUT_MS,
  intervalMs = 50,
): Promise<Exclude<T, Pending>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value as Exclude<T, Pending>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** sleep resolves after `ms`: time for something that should NOT happen to have had its chance. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** must returns a value the test expects to be present (proto3 message fields are optional), or throws naming it. */
export function must<T>(value: T | null | undefined, what = 'value'): T {
  if (value === null || value === undefined) throw new Error(`expected ${what} to be present`);
  return value;
}
