import { afterEach, describe, expect, it, vi } from 'vitest';
import { GroupCommit, GroupCommitClosedError } from './group-commit';

/** recorder returns a GroupCommit whose commits are recorded and can be held open or failed by the test. */
function recorder(options: { maxBatch: number; maxDelayMs: number }) {
  const batches: number[][] = [];
  let gate: Promise<void> = Promise.resolve();
  let failWith: Error | undefined;
  const group = new GroupCommit<number>({
    ...options,
    commit: async (batch) => {
      batches.push([...batch]);
      await gate;
      if (failWith) throw failWith;
    },
  });
  return {
    group,
    batches,
    hold() {
      let release!: () => void;
      gate = new Promise<void>((resolve) => (release = resolve));
      return () => {
        gate = Promise.resolve();
        release();
      };
    },
    failNext(error: Error | undefined) {
      failWith = error;
    },
  };
}

describe('GroupCommit', () => {
  afterEach(() => vi.useRealTimers());

  it('commits items added together in one batch after maxDelayMs, and settles each caller after that commit', async () => {
    vi.useFakeTimers();
    const { group, batches } = recorder({ maxBatch: 100, maxDelayMs: 10 });
    const settled: number[] = [];
    const calls = [1, 2, 3].map((n) => group.add(n).then(() => settled.push(n)));
    await vi.advanceTimersByTimeAsync(9);
    expect(batches).toEqual([]);
    expect(settled).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await Promise.all(calls);
    expect(batches).toEqual([[1, 2, 3]]);
    expect(settled).toEqual([1, 2, 3]);
  });

  it('commits at once when a batch is full, without waiting for the delay', async () => {
    vi.useFakeTimers();
    const { group, batches } = recorder({ maxBatch: 2, maxDelayMs: 1_000 });
    const first = Promise.all([group.add(1), group.add(2)]);
    await first;
    expect(batches).toEqual([[1, 2]]);
    const third = group.add(3);
    await vi.advanceTimersByTimeAsync(999);
    expect(batches).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await third;
    expect(batches).toEqual([[1, 2], [3]]);
  });

  it('runs one commit at a time and gathers everything added meanwhile into the next batch', async () => {
    const { group, batches, hold } = recorder({ maxBatch: 1_000, maxDelayMs: 0 });
    const release = hold();
    const first = group.add(0);
    await new Promise((r) => setTimeout(r, 5));
    expect(batches).toEqual([[0]]);
    const rest = Array.from({ length: 50 }, (_, i) => group.add(i + 1));
    await new Promise((r) => setTimeout(r, 5));
    expect(batches).toHaveLength(1);
    expect(group.pending).toBe(50);
    release();
    await Promise.all([first, ...rest]);
    expect(batches).toHaveLength(2);
    expect(batches[1]).toHaveLength(50);
  });

  it('splits a backlog larger than maxBatch into full batches, in arrival order', async () => {
    const { group, batches, hold } = recorder({ maxBatch: 4, maxDelayMs: 0 });
    const release = hold();
    const all = Array.from({ length: 10 }, (_, i) => group.add(i));
    release();
    await Promise.all(all);
    expect(batches.flat()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(batches.every((b) => b.length <= 4)).toBe(true);
  });

  it('rejects every caller of a failed batch, and later batches still commit', async () => {
    const { group, batches, failNext } = recorder({ maxBatch: 10, maxDelayMs: 5 });
    failNext(new Error('database down'));
    const failed = [group.add(1), group.add(2)].map((p) =>
      p.then(
        () => 'ok',
        (e: Error) => e.message,
      ),
    );
    expect(await Promise.all(failed)).toEqual(['database down', 'database down']);
    failNext(undefined);
    await group.add(3);
    expect(batches).toEqual([[1, 2], [3]]);
  });

  it('commits what is buffered on close, then refuses new items', async () => {
    const { group, batches } = recorder({ maxBatch: 10, maxDelayMs: 60_000 });
    const buffered = [group.add(1), group.add(2)];
    await group.close();
    await Promise.all(buffered);
    expect(batches).toEqual([[1, 2]]);
    await expect(group.add(3)).rejects.toBeInstanceOf(GroupCommitClosedError);
  });

  it('reports each committed batch with its size', async () => {
    const seen: number[] = [];
    const group = new GroupCommit<number>({
      maxBatch: 3,
      maxDelayMs: 60_000,
      commit: async () => undefined,
      onCommitted: (size) => {
        seen.push(size);
        throw new Error('observer bug');
      },
    });
    await Promise.all([group.add(1), group.add(2), group.add(3)]);
    expect(seen).toEqual([3]);
  });
});
