// Eventual consistency, bounded by time: retry a check (which throws or fails an expect) until it passes.

/** EventuallyOptions bound the wait. */
export interface EventuallyOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** what names the awaited state in the timeout message. */
  what?: string;
}

/** eventually returns the check's result once it stops throwing; after the timeout it throws the last error. */
export async function eventually<T>(
  check: () => Promise<T> | T,
  options: EventuallyOptions = {},
): Promise<T> {
  const { timeoutMs = 15_000, intervalMs = 100 } = options;
  const started = Date.now();
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() - started >= timeoutMs) {
        const message = `${options.what ?? 'condition'} not reached within ${timeoutMs} ms: ${(error as Error).message}`;
        throw Object.assign(new Error(message), { cause: error });
      }
    }
    await sleep(intervalMs);
  }
}

/** sleep waits. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
