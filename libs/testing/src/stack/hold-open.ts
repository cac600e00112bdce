// Races between transactions, made deterministic: one transaction does its work and then stays open, holding its
// locks, until the test releases it; meanwhile the test starts the competing one and checks that it waits.
import type { Transaction, TransactionRunner } from '@blog/framework';

/** HeldTransaction is a transaction kept open after its work. */
export interface HeldTransaction {
  /** started resolves once the work is done (its locks are held). */
  readonly started: Promise<void>;
  /** done resolves once the transaction committed, after release(); it rejects if the work failed. */
  readonly done: Promise<void>;
  /** release lets the transaction commit. */
  release(): void;
}

/** holdOpen runs `work` in a transaction of `store` and keeps that transaction open until release(). */
export function holdOpen(
  store: TransactionRunner,
  work: (tx: Transaction) => Promise<unknown>,
): HeldTransaction {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let worked!: () => void;
  const started = new Promise<void>((resolve) => (worked = resolve));
  const done = store.withTransaction(async (tx) => {
    await work(tx);
    worked();
    await gate;
  });
  return { started, done, release };
}
