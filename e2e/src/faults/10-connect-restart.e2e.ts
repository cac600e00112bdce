// Kafka Connect restarted in the middle of sagas: while the worker is down no outbox row reaches Kafka (the
// sagas wait, PENDING); once it is back, Debezium resumes from its stored offsets, possibly re-sending records,
// and every saga completes with every counter exact.
import { expect, it } from 'vitest';
import { sleep } from '../support/eventually';
import {
  expectCounters,
  expectNoDuplicateFeedEntries,
  settleSagas,
  startSagas,
} from '../support/rest/in-flight';
import { scenario, suite } from '../support/suite';

const { api, control, sagas } = suite();
const faulty = sagas.underFault();

scenario('fault: Kafka Connect restart mid-saga', ['control'], () => {
  it('every saga started before and during the restart completes; counters exact', async () => {
    const [author, ...readers] = await Promise.all([
      sagas.member('Ka'),
      ...Array.from({ length: 4 }, () => sagas.member('Kr')),
    ]);
    const before = await startSagas(faulty, { author, readers: readers.slice(0, 2), signUps: 3, posts: 2 });
    await control.stopConnect();
    try {
      const during = await startSagas(faulty, { author, readers: readers.slice(2), signUps: 2, posts: 1 });
      await sleep(1_500);
      // With the worker down, nothing can have moved these sagas on.
      const [probe] = during.signUps;
      const pending = await api.get(`/v1/accounts/${probe?.body.accountId}`);
      expect(pending.body.status, 'a sign-up while Connect is down').toBe('PENDING');
      await control.startConnect();
      await settleSagas(faulty, author, [before, during], 90_000);
    } finally {
      await control.startConnect();
    }
    await expectCounters(sagas, author.blogId, { postCount: 3, subscriberCount: 4 });
    await expectNoDuplicateFeedEntries(sagas, readers);
  });
});
