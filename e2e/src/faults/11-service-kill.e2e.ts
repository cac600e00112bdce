// A service SIGKILLed in the middle of sagas (no graceful shutdown: an open transaction rolls back, offsets of
// finished records may not be committed yet) and started again: every saga completes, no step counted twice.
import { it } from 'vitest';
import { sleep } from '../support/eventually';
import {
  expectCounters,
  expectNoDuplicateFeedEntries,
  settleSagas,
  startSagas,
} from '../support/rest/in-flight';
import { scenario, suite } from '../support/suite';
import type { AppName } from '../support/control/process-control';

const { control, sagas } = suite();
const faulty = sagas.underFault();

scenario('fault: SIGKILL of a service mid-saga', ['control'], () => {
  // blog takes part in every saga (counts posts and subscribers); user in sign-ups; subscribe owns subscriptions and feeds.
  for (const victim of ['blog', 'user', 'subscribe'] satisfies AppName[]) {
    it(`${victim}: killed right after the sagas start, restarted 1 s later; all complete, counters exact`, async () => {
      const [author, ...readers] = await Promise.all([
        sagas.member('Ga'),
        sagas.member('Gr'),
        sagas.member('Gr'),
        sagas.member('Gr'),
      ]);
      const inFlight = await startSagas(faulty, { author, readers, signUps: 3, posts: 3 });
      await control.killApp(victim);
      try {
        await sleep(1_000);
      } finally {
        await control.startApp(victim);
      }
      await settleSagas(faulty, author, [inFlight], 60_000);
      await expectCounters(sagas, author.blogId, { postCount: 3, subscriberCount: 3 });
      await expectNoDuplicateFeedEntries(sagas, readers);
    });
  }
});
