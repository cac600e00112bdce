// Two instances of every service (`npm start -- --replicas 2`): the gateway's registry lists both, its selector
// spreads calls and moves reads off a dead node, and each service's instances share its consumer group, so Kafka
// spreads the partitions and hands a dead member's partitions to the survivor. One instance of each service is
// SIGKILLed while a burst of sagas is in flight: reads keep answering, every saga completes, counters exact.
import { expect, it } from 'vitest';
import { sleep } from '../support/eventually';
import type { AppName } from '../support/control/process-control';
import {
  expectCounters,
  expectNoDuplicateFeedEntries,
  settleSagas,
  startSagas,
} from '../support/rest/in-flight';
import { scenario, suite } from '../support/suite';

const { api, control, sagas } = suite();
const faulty = sagas.underFault();
const services: AppName[] = ['auth', 'user', 'blog', 'post', 'visitor', 'subscribe'];

scenario(
  'fault: two replicas of every service, one of each SIGKILLed mid-burst',
  ['control', 'local'],
  () => {
    it('reads keep answering, every saga completes, counters exact', { timeout: 240_000 }, async () => {
      await control.startServiceReplicas();
      try {
        const [author, reader, ...others] = await Promise.all([
          sagas.member('Ra'),
          sagas.member('Rr'),
          sagas.member('Rr'),
          sagas.member('Rr'),
        ]);
        const readers = [reader, ...others];
        const published = await sagas.publish(author);

        // One read per service, round after round, from before the kill to the end of the sagas.
        const reads = [
          `/v1/accounts/${author.userId}`,
          `/v1/users/${author.userId}`,
          `/v1/blogs/${author.blogId}`,
          `/v1/posts/${published.postId}`,
          `/v1/blogs/${author.blogId}/stats`,
        ];
        const failures: string[] = [];
        let rounds = 0;
        let reading = true;
        const polling = (async () => {
          while (reading) {
            const answers = await Promise.all([
              ...reads.map((path) => api.get(path).then((r) => ({ path, status: r.status }))),
              api
                .get(`/v1/users/me/subscriptions`, { token: reader.token })
                .then((r) => ({ path: 'subscriptions', status: r.status })),
            ]);
            for (const { path, status } of answers) if (status !== 200) failures.push(`${path}: ${status}`);
            rounds++;
            await sleep(50);
          }
        })();

        let settledMs: number;
        try {
          const inFlight = await startSagas(faulty, { author, readers, signUps: 6, posts: 6 });
          const killedAt = Date.now();
          await Promise.all(services.map((name) => control.killApp(name)));
          await settleSagas(faulty, author, [inFlight], 90_000);
          settledMs = Date.now() - killedAt;
          // 7 posts (6 in flight + the one published first) and 3 subscribers; nothing applied twice.
          await expectCounters(sagas, author.blogId, { postCount: 7, subscriberCount: 3 });
          await expectNoDuplicateFeedEntries(sagas, readers);
        } finally {
          reading = false;
          await polling;
        }

        process.stderr.write(
          `e2e: replicas: ${rounds * (reads.length + 1)} reads in ${rounds} rounds across the kill, ${failures.length} failed; ` +
            `every saga settled ${(settledMs / 1000).toFixed(1)} s after one instance of each service was SIGKILLed\n`,
        );
        expect(failures, 'reads answered while one instance of each service was down').toEqual([]);
      } finally {
        await control.stopServiceReplicas();
      }
    });
  },
);
