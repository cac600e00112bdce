// The Kafka broker stopped for 10 s while sign-ups keep coming: the accounts are accepted (202) throughout,
// the sagas wait, and once the broker is back every sign-up ends ACTIVE with exactly one profile and one blog.
import { expect, it } from 'vitest';
import { sleep } from '../support/eventually';
import { credentials, expectStatus, uniqueNickname, type Started } from '../support/rest/sagas';
import { scenario, suite } from '../support/suite';

const { api, control, sagas } = suite();
const faulty = sagas.underFault();

scenario('fault: Kafka broker down for 10 s during sign-ups', ['control'], () => {
  it('every sign-up made before, during and after the outage ends ACTIVE', async () => {
    const started: Started<{ accountId: string }>[] = [];
    let signingUp = true;
    const load = (async () => {
      while (signingUp) {
        started.push(await faulty.startSignUp(credentials(uniqueNickname('Ko'))));
        await sleep(400);
      }
    })();
    try {
      await sleep(2_000);
      const stopped = await control.stopKafka();
      const outage = Date.now();
      await sleep(Math.max(0, 10_000 - (Date.now() - outage)));
      await control.startKafka();
      process.stderr.write(`e2e: Kafka stopped (${stopped.outcome} in ${stopped.ms} ms), down 10 s, back\n`);
      await sleep(2_000);
    } finally {
      signingUp = false;
      await load;
      await control.startKafka();
    }
    expect(started.length).toBeGreaterThan(20);
    const accounts = await Promise.all(started.map((s) => faulty.awaitAccount(s, { timeoutMs: 120_000 })));
    expect(accounts.filter((a) => a.status !== 'ACTIVE'), 'sign-ups not ACTIVE').toEqual([]);
    for (const account of accounts) {
      expectStatus(await api.get(`/v1/users/${account.accountId}`), 200);
      expectStatus(await api.get(`/v1/users/${account.accountId}/blog`), 200);
    }
  });
});
