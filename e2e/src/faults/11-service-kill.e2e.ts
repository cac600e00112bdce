// A service SIGKILLed in the middle of sagas (no graceful shutdown: an open transaction rolls back, offsets of
// finished records may not be committed yet) and started again: every saga completes, no step counted twice, and
// the sagas move again within seconds. kafkajs has no static membership, so the restarted process joins its
// consumer group as a new member, and the group waits until the killed member's session expires: the recovery is
// bounded by the consumers' session timeout (KAFKA_SESSION_TIMEOUT_MS, 6 s; it was 30 s). A SIGTERM stop leaves
// the group at once, so the restarted member does not wait at all.
import { expect, it } from 'vitest';
import { sleep } from '../support/eventually';
import { recordRecovery } from '../support/report/latency';
import {
  expectCounters,
  expectNoDuplicateFeedEntries,
  settleSagas,
  startSagas,
} from '../support/rest/in-flight';
import { scenario, suite } from '../support/suite';
import type { AppName } from '../support/control/process-control';

const { ctx, control, sagas } = suite();
const faulty = sagas.underFault();

/**
 * recoveryBoundMs: from the fault until every saga in flight has ended. It includes the restarted process's own start
 * (about 4 s here, 6-9 s when the shared machine is loaded), which overlaps with the killed member's 6 s session;
 * measured 7.5-8.3 s. With the former 30 s sessions it was 31-33 s, so the bound tells the two apart with room for a
 * loaded machine; the figure itself goes into the recovery table.
 */
const recoveryBoundMs = 15_000;

scenario('fault: SIGKILL of a service mid-saga', ['control'], () => {
  // blog takes part in every saga (counts posts and subscribers); user in sign-ups; subscribe owns subscriptions and feeds.
  const cases: { victim: AppName; signal: 'SIGKILL' | 'SIGTERM' }[] = [
    { victim: 'blog', signal: 'SIGKILL' },
    { victim: 'user', signal: 'SIGKILL' },
    { victim: 'subscribe', signal: 'SIGKILL' },
    { victim: 'blog', signal: 'SIGTERM' },
  ];
  for (const { victim, signal } of cases) {
    const how = signal === 'SIGKILL' ? 'killed' : 'stopped (SIGTERM)';
    it(`${victim}: ${how} right after the sagas start, restarted 1 s later; all complete within ${recoveryBoundMs / 1000} s, counters exact`, async () => {
      const [author, ...readers] = await Promise.all([
        sagas.member('Ga'),
        sagas.member('Gr'),
        sagas.member('Gr'),
        sagas.member('Gr'),
      ]);
      const inFlight = await startSagas(faulty, { author, readers, signUps: 3, posts: 3 });
      const faultAt = Date.now();
      if (signal === 'SIGKILL') await control.killApp(victim);
      else await control.stopApp(victim);
      try {
        await sleep(1_000);
      } finally {
        await control.startApp(victim);
      }
      await settleSagas(faulty, author, [inFlight], 60_000);
      const recoveryMs = Date.now() - faultAt;
      recordRecovery(ctx.runDir, {
        fault: `${signal} ${victim}, restarted 1 s later`,
        from: signal,
        ms: recoveryMs,
      });
      await expectCounters(sagas, author.blogId, { postCount: 3, subscriberCount: 3 });
      await expectNoDuplicateFeedEntries(sagas, readers);
      expect(recoveryMs, `every saga ended ${recoveryMs} ms after the ${signal}`).toBeLessThan(
        recoveryBoundMs,
      );
    });
  }
});
