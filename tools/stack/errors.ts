/**
 * StackError is a failure the developer fixes by hand (a missing prerequisite, a busy port, a part that died at
 * start-up). Its message is ONE line that names the fix; the CLI prints it alone, without a stack trace.
 */
export class StackError extends Error {
  override readonly name = 'StackError';
}
