// Test support (excluded from the build): unwrap a value a test expects to be there, failing loudly if it is not.

/** must returns value, or throws naming what was missing (instead of a non-null assertion). */
export function must<T>(value: T | null | undefined, what = 'value'): T {
  if (value === null || value === undefined) throw new Error(`expected ${what} to be present`);
  return value;
}
