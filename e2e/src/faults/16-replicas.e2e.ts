// Two instances of every service (`npm start -- --replicas 2`): the gateway's registry lists both, its selector
// spreads calls and moves reads off a dead node, and each service's instances share its consumer group, so Kafka
// spreads the partitions and hands a dead member's partitions to the survivor. One instance of each service is
// SIGKILLed while a burst of sagas is in flight: reads keep answering, every saga completes, counters exact.
import { expect, it } from 'vitest';
import type { AppName } from '../support/control/process-control';
import { eventually, sleep } from '../support/eventually';
import { EventLog, serviceGroups } from '../support/kafka/event-log';
import {
  expectCounters,
  expectNoDuplicateFeedEntries,
  settleSagas,
  startSagas,
} from '../support/rest/in-flight';
import { scenario, suite } from '../support/suite';
import { services as catalogServices } from '../support/tooling';

const { api, control, ctx, sagas } = suite();
const faulty = sagas.underFault();
// Every domain service of the catalog (libs/catalog): a new one is killed and checked like the others.
const services = catalogServices.map((s) => s.name as AppName);

scenario(
  'fault: two replicas of every service, one of each SIGKILLed mid-burst',
  ['control', 'local', 'kafka'],
  () => {
    it(
      'spreads calls and partitions; reads keep answering, every saga completes, counters exact',
      { timeout: 300_000 },
      async () => {
        const { adminUrls = {} } = await control.startServiceReplicas();
        const events = await EventLog.connect(ctx.kafkaBrokers ?? [], ctx.kafkaSasl);
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
                  .get('/v1/users/me/subscriptions', { token: reader.token })
                  .then((r) => ({ path: 'subscriptions', status: r.status })),
              ]);
              for (const { path, status } of answers) if (status !== 200) failures.push(`${path}: ${status}`);
              rounds++;
              await sleep(50);
            }
          })();

          let settledMs = 0;
          try {
            // Spread: both instances of every service answer gRPC calls and hold partitions of its consumer group.
            expect(Object.keys(adminUrls)).toHaveLength(2 * services.length);
            await eventually(
              async () => {
                const idle: string[] = [];
                for (const [instance, url] of Object.entries(adminUrls)) {
                  if ((await businessCallsHandled(url)) === 0) idle.push(instance);
                }
                expect(idle, 'instances that have handled no call').toEqual([]);
              },
              { timeoutMs: 30_000, what: 'calls spread over both instances of every service' },
            );
            await eventually(
              async () => {
                for (const group of serviceGroups) {
                  const members = await events.groupMembers(group);
                  expect(
                    members.map((m) => m.partitions > 0),
                    `${group}: two members, each holding partitions`,
                  ).toEqual([true, true]);
                }
              },
              { timeoutMs: 60_000, what: 'partitions spread over both instances of every consumer group' },
            );

            // Housekeeping (inbox pruning) runs once per cluster: exactly one instance of each service leads it.
            for (const name of services) {
              const leading = [await leads(adminUrls[name] ?? ''), await leads(adminUrls[`${name}.2`] ?? '')];
              expect(leading, `${name}: housekeeping leaders of the two instances`).toEqual([true, false]);
            }
            const inFlight = await startSagas(faulty, { author, readers, signUps: 6, posts: 6 });
            const killedAt = Date.now();
            await Promise.all(services.map((name) => control.killApp(name)));
            await settleSagas(faulty, author, [inFlight], 90_000);
            settledMs = Date.now() - killedAt;
            // The survivors took the housekeeping leadership over from the killed leaders (their sessions died).
            await eventually(
              async () => {
                for (const name of services)
                  expect(await leads(adminUrls[`${name}.2`] ?? ''), `${name}.2 leads`).toBe(true);
              },
              { timeoutMs: 10_000, what: 'a new housekeeping leader for every service' },
            );
            // 7 posts (6 in flight + the one published first) and 3 subscribers; nothing applied twice.
            await expectCounters(sagas, author.blogId, { postCount: 7, subscriberCount: 3 });
            await expectNoDuplicateFeedEntries(sagas, readers);
          } finally {
            reading = false;
            await polling;
          }

          // A dead instance must never show: no 503, no 500. A 504 is the survivor being slow (it just took over every
          // call and partition of its service, on 2 cores shared with the whole stack): tolerated up to 1% of the reads.
          const total = rounds * (reads.length + 1);
          const slow = failures.filter((failure) => failure.endsWith(': 504'));
          process.stderr.write(
            `e2e: replicas: ${total} reads in ${rounds} rounds across the kill, ${failures.length} failed ` +
              `(${slow.length} of them 504); every saga settled ${(settledMs / 1000).toFixed(1)} s after one ` +
              `instance of each service was SIGKILLed\n`,
          );
          expect(
            failures.filter((failure) => !slow.includes(failure)),
            'reads failed while one instance of each service was down',
          ).toEqual([]);
          expect(slow.length, `504s: ${slow.join(', ')}`).toBeLessThanOrEqual(Math.ceil(total / 100));
        } finally {
          await events.close();
          await control.stopServiceReplicas();
        }
      },
    );
  },
);

/** businessCallsHandled sums an instance's grpc_server_handled_total, health checks left out. */
async function businessCallsHandled(adminUrl: string): Promise<number> {
  const text = await (await fetch(`${adminUrl}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('grpc_server_handled_total{') && !line.includes('grpc.health.v1'))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

/**
 * leads tells whether an instance leads its service's housekeeping (sync_leader 1), having pruned its inbox once.
 * The registry adds default labels (service=...) beside the metric's own.
 */
async function leads(adminUrl: string): Promise<boolean> {
  const lines = (await (await fetch(`${adminUrl}/metrics`)).text()).split('\n');
  const leader = lines.some((line) => /^sync_leader\{[^}]*name="[a-z]+\.housekeeping"[^}]*\} 1$/.test(line));
  const pruned = lines.some((line) =>
    /^sync_job_runs_total\{[^}]*job="inbox-prune",outcome="ok"[^}]*\} [1-9]/.test(line),
  );
  return leader && pruned;
}
