// gRPC handlers of blog.subscribe.v1.SubscribeService: validate the request, run the use case, map the answer.
import { validate, type Handlers } from '@blog/framework';
import type { subscribe } from '@blog/proto';
import type { FeedEntry } from './repository/feed.repository';
import { feedRequest, pairRequest, readerRequest, streamFeedRequest } from './domain/validation';
import { toApiFeedPost, toApiSubscription } from './subscription.mapper';
import type { Feeds } from './use-cases/feeds';
import type { Subscriptions } from './use-cases/subscriptions';

/** SubscribeHandlerDeps are the use cases the handlers serve. */
export interface SubscribeHandlerDeps {
  readonly subscriptions: Subscriptions;
  readonly feeds: Feeds;
}

/** subscribeHandlers implements blog.subscribe.v1.SubscribeService. */
export function subscribeHandlers(
  deps: SubscribeHandlerDeps,
): Handlers<typeof subscribe.SubscribeServiceService> {
  const { subscriptions, feeds } = deps;
  return {
    async subscribe(request) {
      const { subscription, created } = await subscriptions.subscribe(validate(pairRequest, request));
      return { subscription: toApiSubscription(subscription), created };
    },
    async getSubscription(request) {
      return { subscription: toApiSubscription(await subscriptions.get(validate(pairRequest, request))) };
    },
    async unsubscribe(request) {
      await subscriptions.unsubscribe(validate(pairRequest, request));
      return {};
    },
    async listSubscriptions(request) {
      const { subscriberId } = validate(readerRequest, request);
      return { items: (await subscriptions.list(subscriberId)).map(toApiSubscription) };
    },
    async getFeed(request) {
      const { subscriberId, limit, cursor } = validate(feedRequest, request);
      const page = await feeds.page(subscriberId, limit, cursor);
      return { items: page.items.map(toApiFeedPost), nextCursor: page.next };
    },
    streamFeed(request, ctx) {
      // Validated before the stream starts, so a bad request is answered as an error, not as an ended stream.
      const { subscriberId, after } = validate(streamFeedRequest, request);
      return streamOf(feeds.follow(subscriberId, after, ctx.signal));
    },
  };
}

async function* streamOf(rows: AsyncIterable<FeedEntry>): AsyncGenerator<subscribe.StreamFeedResponse> {
  for await (const row of rows) yield { eventId: row.seq, post: toApiFeedPost(row) };
}
