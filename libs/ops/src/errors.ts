// One error type for every operation, carrying the CLI exit code it maps to, so both faces report alike:
// bad input and unknown names are 2 (nothing was changed), an unreachable stack 3, anything else 1.

/** OpsErrorKind says what went wrong, hence the exit code. */
export type OpsErrorKind = 'usage' | 'not-found' | 'unavailable' | 'failed';

const exitCodes: Record<OpsErrorKind, number> = { usage: 2, 'not-found': 2, unavailable: 3, failed: 1 };

/** OpsError is an expected failure: its message is one line that names the bad input or the part that is down. */
export class OpsError extends Error {
  override readonly name = 'OpsError';
  constructor(
    readonly kind: OpsErrorKind,
    message: string,
  ) {
    super(message);
  }

  /** exitCode is the CLI's exit status for this error. */
  get exitCode(): number {
    return exitCodes[this.kind];
  }
}

/** usage is an OpsError for bad input. */
export const usage = (message: string): OpsError => new OpsError('usage', message);

/** notFound is an OpsError for an unknown service, method, saga or dead letter. */
export const notFound = (message: string): OpsError => new OpsError('not-found', message);

/** unavailable is an OpsError for a part of the stack that does not answer. */
export const unavailable = (message: string): OpsError => new OpsError('unavailable', message);

/** unreachable turns a connection failure into one line naming the part; other errors pass through. */
export function unreachable(part: string, error: unknown): Error {
  if (error instanceof OpsError) return error;
  const text = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string } | null)?.code ?? '';
  if (
    /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|ECONNRESET/.test(code + text) ||
    /Connection error|KafkaJSNumberOfRetriesExceeded|KafkaJSConnectionError|connect ECONN|No connection established/i.test(
      text,
    ) ||
    (error as Error | null)?.name?.startsWith('KafkaJS')
  ) {
    return unavailable(
      `${part} is not reachable (${text.split('\n')[0]}): is the stack up? (npm run stack:up)`,
    );
  }
  return error instanceof Error ? error : new Error(text);
}
