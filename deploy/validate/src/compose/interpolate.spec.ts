import { describe, expect, it } from 'vitest';
import { interpolate, interpolateString, parseEnvFile } from './interpolate';

describe('compose interpolation', () => {
  const env = { SET: 'value', EMPTY: '' };

  it.each([
    ['${SET}', 'value'],
    ['$SET/x', 'value/x'],
    ['${UNSET:-fallback}', 'fallback'],
    ['${EMPTY:-fallback}', 'fallback'],
    ['${EMPTY-fallback}', ''],
    ['${SET:+alt}', 'alt'],
    ['${UNSET:+alt}', ''],
    ['^A_.*$$', '^A_.*$'],
    ['127.0.0.1:${UNSET:-55432}:5432', '127.0.0.1:55432:5432'],
    ['${UNSET:-${SET}}', 'value'],
  ])('%s -> %s', (input, expected) => {
    expect(interpolateString(input, env).value).toBe(expected);
  });

  it('reports a required variable that is missing, and a malformed reference', () => {
    expect(interpolateString('${UNSET:?set it}', env, 'x').errors).toEqual(['x: UNSET is required (set it)']);
    expect(interpolateString('${not closed', env, 'y').errors).toEqual([
      'y: invalid interpolation "${not closed"',
    ]);
  });

  it('records every reference with its default, and leaves keys alone', () => {
    const result = interpolate({ a: ['${A:-1}'], '${KEY}': { b: 'x${B}' } }, {});
    expect(result.value).toEqual({ a: ['1'], '${KEY}': { b: 'x' } });
    expect(result.references).toEqual([{ name: 'A', fallback: '1' }, { name: 'B' }]);
  });

  it('parses an env file', () => {
    expect(parseEnvFile('# c\nA=1\n\nB="two words"\n')).toEqual({ A: '1', B: 'two words' });
    expect(() => parseEnvFile('nonsense')).toThrow(/KEY=VALUE/);
  });
});
