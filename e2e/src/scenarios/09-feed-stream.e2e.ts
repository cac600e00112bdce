// The live feed over real HTTP on the real stack: GET /v1/users/me/feed/stream (Server-Sent Events) at the gateway,
// a StreamFeed server stream from the subscribe service behind it. A subscriber sees a followed blog's new post
// live, never another blog's; after a disconnect, Last-Event-ID resumes with exactly the posts it missed, in order.
import { openSse, type SseEvent, type SseStream } from '@blog/testing';
import { afterEach, expect, it } from 'vitest';
import { scenario, suite } from '../support/suite';

const { ctx, sagas } = suite();
const PATH = '/v1/users/me/feed/stream';

const open: SseStream[] = [];
afterEach(() => {
  for (const stream of open.splice(0)) stream.close();
});

async function connect(token: string, lastEventId?: string): Promise<SseStream> {
  const stream = await openSse(`${ctx.baseUrl}${PATH}`, { token, lastEventId });
  open.push(stream);
  return stream;
}

/** postOf reads an event's PostSummary. */
const postOf = (event: SseEvent): { postId: string; blogId: string; title: string; status: string } =>
  JSON.parse(event.data) as { postId: string; blogId: string; title: string; status: string };

scenario('live feed (SSE)', [], () => {
  it('streams a followed blog’s new post live, and resumes after Last-Event-ID with what was missed', async () => {
    const [author, other, reader] = await Promise.all([
      sagas.member('Fa'),
      sagas.member('Fo'),
      sagas.member('Fr'),
    ]);
    expect((await sagas.subscribe(reader, author.blogId)).status).toBe('ACTIVE');

    const live = await connect(reader.token);
    expect(live.status).toBe(200);
    expect(live.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');

    // Another blog's post never reaches this reader; the followed blog's does, live.
    await sagas.publish(other, { title: 'not followed' });
    const first = await sagas.publish(author, { title: 'live one' });
    const seen = await live.next(20_000);
    expect(seen.event).toBe('post');
    expect(postOf(seen)).toMatchObject({
      postId: first.postId,
      blogId: author.blogId,
      title: 'live one',
      status: 'PUBLISHED',
    });
    expect(seen.id).toMatch(/^[1-9][0-9]*$/);

    // Disconnected, two posts go by; the reconnect with Last-Event-ID gets both, oldest first, and nothing else.
    live.close();
    const missed = [
      await sagas.publish(author, { title: 'missed 1' }),
      await sagas.publish(author, { title: 'missed 2' }),
    ];
    const resumed = await connect(reader.token, seen.id);
    expect(resumed.status).toBe(200);
    const again = [await resumed.next(20_000), await resumed.next(20_000)];
    expect(again.map((e) => postOf(e).postId)).toEqual(missed.map((p) => p.postId));
    expect(BigInt(again[0]?.id ?? '0')).toBeGreaterThan(BigInt(seen.id ?? '0'));
    expect(BigInt(again[1]?.id ?? '0')).toBeGreaterThan(BigInt(again[0]?.id ?? '0'));

    // Still live after the resume.
    const next = await sagas.publish(author, { title: 'after resume' });
    expect(postOf(await resumed.next(20_000)).postId).toBe(next.postId);
  });

  it('answers the contract JSON before the stream starts: no token 401, a bad Last-Event-ID 400', async () => {
    const reader = await sagas.member('Fe');
    const anonymous = await connect('');
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.body)).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    const bad = await connect(reader.token, 'not-an-id');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ error: { code: 'INVALID_ARGUMENT' } });
  });
});
