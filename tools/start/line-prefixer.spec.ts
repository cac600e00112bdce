import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LinePrefixer } from './line-prefixer';

async function through(chunks: readonly string[]): Promise<{ text: string; writes: number }> {
  const prefixer = new LinePrefixer('[user]');
  const out = new PassThrough();
  let text = '';
  let writes = 0;
  out.on('data', (data: Buffer) => {
    text += data.toString();
    writes++;
  });
  prefixer.pipe(out);
  for (const chunk of chunks) prefixer.write(chunk);
  prefixer.end();
  await new Promise((resolve) => out.on('end', resolve));
  return { text, writes };
}

describe('LinePrefixer', () => {
  it('prefixes every line of a chunk in one write', async () => {
    const { text, writes } = await through(['{"a":1}\n{"b":2}\n{"c":3}\n']);
    expect(text).toBe('[user] {"a":1}\n[user] {"b":2}\n[user] {"c":3}\n');
    expect(writes).toBe(1);
  });

  it('holds a partial line back until its end arrives', async () => {
    const { text } = await through(['{"a":', '1}\n{"b"', ':2}\n']);
    expect(text).toBe('[user] {"a":1}\n[user] {"b":2}\n');
  });

  it('emits a last line without a newline at the end of the stream, and drops \\r of \\r\\n', async () => {
    const { text } = await through(['one\r\ntwo\r\n', 'three']);
    expect(text).toBe('[user] one\n[user] two\n[user] three\n');
  });

  it('keeps empty lines', async () => {
    const { text } = await through(['a\n\nb\n']);
    expect(text).toBe('[user] a\n[user] \n[user] b\n');
  });
});
