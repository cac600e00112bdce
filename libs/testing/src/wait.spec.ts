import { describe, expect, it } from 'vitest';
import { must, sleep, waitFor } from './wait';

describe('waitFor', () => {
  it('polls until the check returns something other than undefined or false, and resolves with it', async () => {
    let calls = 0;
    const value = await waitFor(
      'the third call',
      () => (++calls < 3 ? (calls === 1 ? undefined : false) : 0),
      1_000,
      1,
    );
    expect(value).toBe(0);
    expect(calls).toBe(3);
  });

  it('awaits asynchronous checks', async () => {
    await expect(waitFor('a row', async () => ({ id: 'r1' }))).resolves.toEqual({ id: 'r1' });
  });

  it('fails naming what it waited for once the timeout has passed', async () => {
    const started = Date.now();
    await expect(waitFor('nothing', () => undefined, 60, 5)).rejects.toThrow(
      'timed out after 60 ms waiting for nothing',
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(60);
  });

  it('fails at once when the check throws', async () => {
    let calls = 0;
    const check = () => {
      calls++;
      throw new Error('broken check');
    };
    await expect(waitFor('x', check, 1_000)).rejects.toThrow('broken check');
    expect(calls).toBe(1);
  });
});

describe('sleep', () => {
  it('resolves after the given time', async () => {
    const started = Date.now();
    await sleep(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });
});

describe('must', () => {
  it('returns present values, falsy ones included', () => {
    expect(must(0)).toBe(0);
    expect(must('')).toBe('');
    expect(must(false)).toBe(false);
  });

  it('throws naming what is missing for null and undefined', () => {
    expect(() => must(undefined, 'the account')).toThrow('expected the account to be present');
    expect(() => must(null)).toThrow('expected value to be present');
  });
});
