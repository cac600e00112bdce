// A pino destination that keeps a service's log lines for tests to wait on ("duplicate event skipped" for this
// message id), and still prints the ones at or above LOG_LEVEL (warn by default) so a failing run shows them.
import { waitFor, WAIT_TIMEOUT_MS } from '../wait';

/** LogLine is one parsed JSON log line. */
export type LogLine = Record<string, unknown>;

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/** LogTap keeps the service's own log lines (not kafkajs's chatter); pass it as the service's logDestination. */
export class LogTap {
  readonly lines: LogLine[] = [];
  private readonly echoFrom: number;

  /** echoLevel is the least severe level still printed ('silent' prints nothing). */
  constructor(
    echoLevel = process.env.LOG_LEVEL ?? 'warn',
    private readonly echo: (line: string) => void = (line) => void process.stdout.write(line),
  ) {
    const index = LEVELS.indexOf(echoLevel);
    this.echoFrom = index < 0 ? LEVELS.length : index;
  }

  /** write takes one line from pino. */
  write(line: string): void {
    const entry = JSON.parse(line) as LogLine;
    if (LEVELS.indexOf(String(entry.level)) >= this.echoFrom) this.echo(line);
    if (entry.kafkajs === undefined) this.lines.push(entry);
  }

  /** find returns the first line with message `msg` whose fields include `fields`. */
  find(msg: string, fields: LogLine = {}): LogLine | undefined {
    return this.lines.find((l) => l.msg === msg && Object.entries(fields).every(([k, v]) => l[k] === v));
  }

  /** next waits for a line with message `msg` whose fields include `fields`. */
  next(msg: string, fields: LogLine = {}, timeoutMs = WAIT_TIMEOUT_MS): Promise<LogLine> {
    return waitFor(`log "${msg}" ${JSON.stringify(fields)}`, () => this.find(msg, fields), timeoutMs);
  }
}
