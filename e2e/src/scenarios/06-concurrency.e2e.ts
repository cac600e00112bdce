// Races: a burst of parallel sign-ups with colliding nicknames and slugs (exactly one winner each), concurrent
// subscribe requests of one reader (one subscription), and rapid subscribe/unsubscribe toggles ending consistent.
import { expect, it } from 'vitest';
import { eventually, sleep } from '../support/eventually';
import { credentials, expectStatus, uniqueNickname, type Member } from '../support/rest/sagas';
import { scenario, suite } from '../support/suite';

const { api, sagas } = suite();

/** variants spells one nickname in different cases (the same nickname, case-insensitively). */
const variants = (base: string): string[] => [
  base,
  base.toUpperCase(),
  base.toLowerCase(),
  base.charAt(0).toUpperCase() + base.slice(1).toLowerCase(),
];

scenario('concurrency', [], () => {
  it('a burst of parallel sign-ups with colliding nicknames: exactly one ACTIVE per nickname', async () => {
    const contenders = Array.from({ length: 5 }, () => uniqueNickname('Bu')).flatMap((base) =>
      variants(base).map((nickname) => ({ base, who: credentials(nickname) })),
    );
    const started = await Promise.all(contenders.map((c) => sagas.startSignUp(c.who)));
    const accounts = await Promise.all(started.map((s) => sagas.awaitAccount(s, { timeoutMs: 30_000 })));

    const outcomes = contenders.map((c, i) => ({ ...c, account: accounts[i] }));
    for (const base of new Set(contenders.map((c) => c.base))) {
      const mine = outcomes.filter((c) => c.base === base);
      const winners = mine.filter((c) => c.account?.status === 'ACTIVE');
      expect(winners, `winners for ${base}: ${JSON.stringify(mine.map((c) => c.account))}`).toHaveLength(1);
      const [winner] = winners;
      for (const loser of mine.filter((c) => c !== winner)) {
        expect(loser.account).toMatchObject({ status: 'REJECTED', reason: 'NICKNAME_TAKEN' });
        expectStatus(await api.get(`/v1/users/${loser.account?.accountId}`), 404);
      }
      const profile = await api.get(`/v1/users/${winner?.account?.accountId}`);
      expect(profile.body.nickname).toBe(winner?.who.nickname);
      expectStatus(await api.get(`/v1/users/${winner?.account?.accountId}/blog`), 200);
    }
  });

  it('parallel sign-ups asking for one blog slug: exactly one ACTIVE, the others BLOG_SLUG_TAKEN and their nicknames freed', async () => {
    const slug = `race-${uniqueNickname('s').toLowerCase().replaceAll('_', '-')}`;
    const contenders = Array.from({ length: 4 }, () => credentials(uniqueNickname('Sl')));
    const started = await Promise.all(contenders.map((who) => sagas.startSignUp(who, slug)));
    const accounts = await Promise.all(started.map((s) => sagas.awaitAccount(s, { timeoutMs: 30_000 })));
    const winners = accounts.filter((a) => a.status === 'ACTIVE');
    expect(winners, JSON.stringify(accounts)).toHaveLength(1);
    const owner = await api.get(`/v1/blogs/by-slug/${slug}`);
    expect(owner.body.ownerId).toBe(winners[0]?.accountId);
    const losers = contenders.filter((_, i) => accounts[i]?.status !== 'ACTIVE');
    for (const account of accounts.filter((a) => a.status !== 'ACTIVE')) {
      expect(account).toMatchObject({ status: 'REJECTED', reason: 'BLOG_SLUG_TAKEN' });
    }
    const again = await Promise.all(
      losers.map((who) => sagas.signUp({ ...credentials(), nickname: who.nickname })),
    );
    expect(again.map((a) => a.status)).toEqual(losers.map(() => 'ACTIVE'));
  });

  it('concurrent subscribe requests of one reader make one subscription and count one subscriber', async () => {
    const [author, reader] = await Promise.all([sagas.member('Ca'), sagas.member('Cr')]);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        api.put(`/v1/blogs/${author.blogId}/subscription`, { token: reader.token }),
      ),
    );
    for (const answer of answers) expect([200, 202], JSON.stringify(answer.body)).toContain(answer.status);
    expect(
      new Set(answers.map((a) => a.body.subscriptionId)).size,
      JSON.stringify(answers.map((a) => a.body)),
    ).toBe(1);
    await eventually(async () => {
      const subscription = await api.get(`/v1/blogs/${author.blogId}/subscription`, { token: reader.token });
      expect(subscription.body.status).toBe('ACTIVE');
    });
    await eventually(async () => expect((await sagas.blog(author.blogId)).subscriberCount).toBe(1));
    await sleep(1_000);
    expect((await sagas.blog(author.blogId)).subscriberCount).toBe(1);
  });

  it('rapid subscribe/unsubscribe toggles end consistent: state and subscriberCount right', async () => {
    const [author, stayer1, stayer2, leaver] = await Promise.all([
      sagas.member('Ta'),
      sagas.member('Tr'),
      sagas.member('Tr'),
      sagas.member('Tr'),
    ]);
    const plans: { reader: Member; toggles: number; endSubscribed: boolean }[] = [
      { reader: stayer1, toggles: 5, endSubscribed: true },
      { reader: stayer2, toggles: 4, endSubscribed: true },
      { reader: leaver, toggles: 5, endSubscribed: false },
    ];
    await Promise.all(
      plans.map((plan) => toggle(plan.reader, author.blogId, plan.toggles, plan.endSubscribed)),
    );

    await eventually(async () => expect((await sagas.blog(author.blogId)).subscriberCount).toBe(2), {
      timeoutMs: 20_000,
      what: 'subscriberCount 2 after the toggles',
    });
    await sleep(1_500);
    expect((await sagas.blog(author.blogId)).subscriberCount, 'subscriberCount stays 2').toBe(2);
    for (const plan of plans) {
      const subscription = await api.get(`/v1/blogs/${author.blogId}/subscription`, {
        token: plan.reader.token,
      });
      if (plan.endSubscribed) expect(subscription.body.status).toBe('ACTIVE');
      else if (subscription.status !== 404) expect(subscription.body.status).toBe('CANCELLED');
      const mine = await api.get('/v1/users/me/subscriptions', { token: plan.reader.token });
      expect(mine.body.items.filter((s: { blogId: string }) => s.blogId === author.blogId)).toHaveLength(
        plan.endSubscribed ? 1 : 0,
      );
    }
  });
});

/**
 * toggle subscribes and unsubscribes as fast as the contract lets a client: the DELETE of a PENDING subscription
 * is refused (409, the semantic lock), so it is repeated until the saga has made it ACTIVE.
 */
async function toggle(reader: Member, blogId: string, times: number, endSubscribed: boolean): Promise<void> {
  const put = async () => {
    const answer = await api.put(`/v1/blogs/${blogId}/subscription`, { token: reader.token });
    expect([200, 202], JSON.stringify(answer.body)).toContain(answer.status);
  };
  for (let i = 0; i < times; i++) {
    await put();
    await eventually(
      async () => {
        const answer = await api.delete(`/v1/blogs/${blogId}/subscription`, { token: reader.token });
        if (answer.status === 409) throw new Error('still PENDING');
        expectStatus(answer, 204);
      },
      { timeoutMs: 15_000, intervalMs: 20, what: 'unsubscribe accepted' },
    );
  }
  if (endSubscribed) {
    await put();
    await eventually(async () => {
      const subscription = await api.get(`/v1/blogs/${blogId}/subscription`, { token: reader.token });
      expect(subscription.body.status).toBe('ACTIVE');
    });
  }
}
