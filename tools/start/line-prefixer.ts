// The launcher's view of an app's output: every line behind the app's `[name]` prefix, prefixed a chunk at a time.
// A readline interface per stream wrote one string per line to the launcher's stdout (a write, and with a pipe or a
// TTY often a system call, per log line of every app); under a load test the launcher's single thread then spent
// more than any app. Here each chunk the pipe delivers becomes one write, with a partial last line held back until
// its end arrives (so two apps' lines never interleave mid-line).
import { Transform, type TransformCallback } from 'node:stream';

/** LinePrefixer is a Transform that puts `prefix + ' '` in front of every line of its input. */
export class LinePrefixer extends Transform {
  private partial = '';

  constructor(private readonly prefix: string) {
    super({ decodeStrings: false });
  }

  override _transform(chunk: Buffer | string, _encoding: BufferEncoding, done: TransformCallback): void {
    const text = this.partial + chunk.toString();
    const end = text.lastIndexOf('\n');
    if (end < 0) {
      this.partial = text;
      done();
      return;
    }
    this.partial = text.slice(end + 1);
    done(null, prefixEveryLine(this.prefix, text.slice(0, end + 1)));
  }

  override _flush(done: TransformCallback): void {
    done(null, this.partial ? `${this.prefix} ${this.partial}\n` : undefined);
  }
}

/** prefixEveryLine prefixes each line of `lines` (which ends with a newline); \r\n endings lose their \r, as readline did. */
export function prefixEveryLine(prefix: string, lines: string): string {
  const head = `${prefix} `;
  return head + lines.slice(0, -1).replace(/\r?\n/g, `\n${head}`).replace(/\r$/, '') + '\n';
}
