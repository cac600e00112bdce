// Sagas started together and awaited together: what the fault scenarios keep in flight while they break things.
import { expect } from 'vitest';
import { eventually, sleep } from '../eventually';
import { credentials, uniqueNickname, type Member, type Sagas, type Started } from './sagas';

/** InFlight is a batch of started sagas: sign-ups, posts by one author, subscriptions to that author's blog. */
export interface InFlight {
  signUps: Started<{ accountId: string }>[];
  posts: Started<{ postId: string }>[];
  subscriptions: {
    reader: Member;
    started: Started<{ subscriptionId: string; blogId: string; status: string }>;
  }[];
}

/** startSagas starts `signUps` sign-ups, `posts` posts by the author and one subscription per reader, concurrently. */
export async function startSagas(
  sagas: Sagas,
  plan: { author: Member; readers: readonly Member[]; signUps: number; posts: number },
): Promise<InFlight> {
  const [signUps, posts, subscriptions] = await Promise.all([
    Promise.all(
      Array.from({ length: plan.signUps }, () => sagas.startSignUp(credentials(uniqueNickname('F')))),
    ),
    Promise.all(Array.from({ length: plan.posts }, () => sagas.startPost(plan.author))),
    Promise.all(
      plan.readers.map(async (reader) => ({
        reader,
        started: await sagas.startSubscription(reader, plan.author.blogId),
      })),
    ),
  ]);
  return { signUps, posts, subscriptions };
}

/** settleSagas waits for every saga of the batches and expects each one's happy end. */
export async function settleSagas(
  sagas: Sagas,
  author: Member,
  batches: readonly InFlight[],
  timeoutMs: number,
): Promise<void> {
  const all = {
    signUps: batches.flatMap((b) => b.signUps),
    posts: batches.flatMap((b) => b.posts),
    subscriptions: batches.flatMap((b) => b.subscriptions),
  };
  const [accounts, posts, subscriptions] = await Promise.all([
    Promise.all(all.signUps.map((s) => sagas.awaitAccount(s, { timeoutMs }))),
    Promise.all(all.posts.map((s) => sagas.awaitPost(author, s, { timeoutMs }))),
    Promise.all(
      all.subscriptions.map(({ reader, started }) => sagas.awaitSubscription(reader, started, { timeoutMs })),
    ),
  ]);
  expect(
    accounts.map((a) => a.status),
    'sign-ups',
  ).toEqual(accounts.map(() => 'ACTIVE'));
  expect(
    posts.map((p) => p.status),
    'posts',
  ).toEqual(posts.map(() => 'PUBLISHED'));
  expect(
    subscriptions.map((s) => s.status),
    'subscriptions',
  ).toEqual(subscriptions.map(() => 'ACTIVE'));
}

/**
 * expectCounters waits for the author's blog to show exactly the expected counts, then checks they stay there
 * (a late duplicate would move them after a first match).
 */
export async function expectCounters(
  sagas: Sagas,
  blogId: string,
  expected: { postCount: number; subscriberCount: number },
  timeoutMs = 30_000,
): Promise<void> {
  const read = async () => {
    const blog = await sagas.blog(blogId);
    return { postCount: blog.postCount, subscriberCount: blog.subscriberCount };
  };
  await eventually(async () => expect(await read()).toEqual(expected), {
    timeoutMs,
    what: `counters ${JSON.stringify(expected)}`,
  });
  await sleep(2_000);
  expect(await read(), 'the counters two seconds later').toEqual(expected);
}

/** expectNoDuplicateFeedEntries checks every reader's feed lists each post once. */
export async function expectNoDuplicateFeedEntries(sagas: Sagas, readers: readonly Member[]): Promise<void> {
  for (const reader of readers) {
    const ids = (await sagas.feed(reader)).map((p) => p.postId);
    expect(ids.length, `${reader.nickname}'s feed ${JSON.stringify(ids)}`).toBe(new Set(ids).size);
  }
}
