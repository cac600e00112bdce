// Streaming handlers adapted to grpc-js, with the rules of unary handlers (handlers.ts): NUL refused in every
// message, errors mapped, work abandoned once the call is cancelled or expires. And three of their own:
// - start: a server or bidi handler returns its messages; until it does, a throw is the stream's start failure
//   (the caller's open rejects); once it does, headers go out at once, so the caller knows the stream stands even
//   when the first message is a long way off.
// - backpressure: a message is written only once the previous ones fit in the call's buffer (grpc-js, then
//   HTTP/2 flow control): a slow reader slows the handler down instead of growing memory.
// - shutdown: every open stream is tracked; drainServer aborts them with UNAVAILABLE (OpenStreams.endAll).
import {
  Metadata,
  type handleBidiStreamingCall,
  type handleClientStreamingCall,
  type handleServerStreamingCall,
} from '@grpc/grpc-js';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { currentRequest, type Logger, type RequestContext } from '../telemetry';
import { answerOf, detachedRequest, type SurfaceCall, untilAborted } from './call-support';
import type { OpenStreams } from './open-streams';
import { refuseNul } from './text-guard';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyHandler = (input: any, ctx: RequestContext) => any;

/** adaptServerStream serves `(request, ctx) => AsyncIterable` as a grpc-js server-streaming handler. */
export function adaptServerStream(
  handler: AnyHandler,
  logger: Logger,
  streams: OpenStreams,
): handleServerStreamingCall<unknown, unknown> {
  return (call) => {
    const ctx = requestOf(call, logger);
    const untrack = streams.track(ctx);
    const source = (): AsyncIterable<unknown> => {
      refuseNul(call.request);
      return handler(call.request, ctx) as AsyncIterable<unknown>;
    };
    void sendAll(call, source, ctx).finally(untrack);
  };
}

/** adaptClientStream serves `(requests, ctx) => response` as a grpc-js client-streaming handler. */
export function adaptClientStream(
  handler: AnyHandler,
  logger: Logger,
  streams: OpenStreams,
): handleClientStreamingCall<unknown, unknown> {
  return (call, callback) => {
    const ctx = requestOf(call, logger);
    const untrack = streams.track(ctx);
    call.sendMetadata(new Metadata());
    untilAborted(() => handler(received(call, ctx), ctx) as unknown, ctx)
      .then(
        (response) => callback(null, response),
        (error: unknown) => callback(answerOf(error, ctx)),
      )
      .finally(untrack);
  };
}

/** adaptBidiStream serves `(requests, ctx) => AsyncIterable` as a grpc-js bidirectional handler. */
export function adaptBidiStream(
  handler: AnyHandler,
  logger: Logger,
  streams: OpenStreams,
): handleBidiStreamingCall<unknown, unknown> {
  return (call) => {
    const ctx = requestOf(call, logger);
    const untrack = streams.track(ctx);
    const source = (): AsyncIterable<unknown> => handler(received(call, ctx), ctx) as AsyncIterable<unknown>;
    void sendAll(call, source, ctx).finally(untrack);
  };
}

function requestOf(call: SurfaceCall, logger: Logger): RequestContext {
  return currentRequest() ?? detachedRequest(call, logger);
}

type OutgoingCall = SurfaceCall & Writable;

// Starts the handler, sends the headers, then writes every message it yields and the final status.
async function sendAll(
  call: OutgoingCall,
  source: () => AsyncIterable<unknown> | Promise<AsyncIterable<unknown>>,
  ctx: RequestContext,
): Promise<void> {
  let iterator: AsyncIterator<unknown> | undefined;
  try {
    const messages = await untilAborted(source, ctx);
    iterator = messages[Symbol.asyncIterator]();
    call.sendMetadata(new Metadata());
    for (;;) {
      const next: IteratorResult<unknown> = await untilAborted(
        () => (iterator as AsyncIterator<unknown>).next(),
        ctx,
      );
      if (next.done) break;
      if (!call.write(next.value)) await untilAborted(() => once(call, 'drain'), ctx);
    }
    iterator = undefined;
    call.end();
  } catch (error) {
    // The handler's finally blocks run once its pending step settles (it should end its waits on ctx.signal).
    iterator?.return?.().catch(() => undefined);
    if (!call.cancelled) call.emit('error', answerOf(error, ctx));
  }
}

// The caller's messages as an async iterable that pulls one at a time (so HTTP/2 flow control holds a fast
// sender back), refuses a NUL in any of them, and throws the signal's reason once the call is aborted.
// A caller's cancel may arrive as the end of the messages: grpc-js's cancel closes the HTTP/2 stream, and Node sends
// END_STREAM before RST_STREAM while the request side is open, so the handler sees a half-close, then the reset. Its
// answer then goes nowhere (the caller has CANCELLED). A handler that must not act on a partial stream has the caller
// say so: a final message, or acknowledgements per message that the caller counts (see the view stream).
async function* received(call: SurfaceCall & Readable, ctx: RequestContext): AsyncGenerator<unknown> {
  // Not iterator.return() at the end: on a duplex call it would destroy the sending side too.
  const iterator = call[Symbol.asyncIterator]() as AsyncIterator<unknown>;
  for (;;) {
    const next = await untilAborted(() => iterator.next(), ctx);
    if (next.done) return;
    refuseNul(next.value);
    yield next.value;
  }
}
