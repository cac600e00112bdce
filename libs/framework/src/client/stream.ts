// Streaming calls on the client. A stream goes through the same wrappers as a unary call, and what they wrap is its
// start: the Call resolves with an OpenStream once the callee has accepted it (its headers arrived), or rejects if it
// failed to start. So the breaker, the retry (nothing has been sent or received yet) and the selector judge the
// start, as go-micro's client does for Stream(); tracing and metrics follow the stream to its end (`closed`).
// The caller's messages are pumped only after the start, one write at a time, waiting for 'drain' when grpc-js
// buffers are full, and the callee's are read only as fast as the caller iterates: HTTP/2 flow control does the rest.
import {
  type Client,
  type ClientDuplexStream,
  type ClientReadableStream,
  type ClientWritableStream,
  type ServiceError,
  status,
  type StatusObject,
} from '@grpc/grpc-js';
import { once } from 'node:events';
import { serviceError } from '../breaker/breaker';
import type { CallContext } from './client';

/** NO_DEADLINE is the deadline of a stream nobody bounded (a live feed): grpc-js gets Infinity. */
export const NO_DEADLINE = new Date(8.64e15);

/** StreamInput is what a stream's Call carries instead of a request. */
export type StreamInput = { readonly request: unknown } | { readonly requests: AsyncIterable<unknown> };

/** OpenStream is a started stream, as the Call of a streaming method resolves it. */
export interface OpenStream {
  /** call is the grpc-js call: readable for server and bidi streams, writable for client and bidi streams. */
  readonly call:
    ClientReadableStream<unknown> | ClientWritableStream<unknown> | ClientDuplexStream<unknown, unknown>;
  /** closed settles at the stream's status: resolves on OK (with the answer of a client stream), else rejects. */
  readonly closed: Promise<unknown>;
  /** cancel ends the stream from the caller's side (the callee sees CANCELLED). */
  cancel(): void;
}

/** ResponseStream is what a server or bidi method of a typed client resolves with: iterate it for the messages. */
export interface ResponseStream<Res> extends AsyncIterable<Res> {
  /** closed settles when the stream has ended (rejects with its status when not OK). */
  readonly closed: Promise<void>;
  /** cancel ends the stream; an iteration ended early (break, throw) cancels it too. */
  cancel(): void;
}

/** isStreaming tells whether a call's method streams in either direction. */
export function isStreaming(ctx: CallContext): boolean {
  return Boolean(ctx.definition.requestStream || ctx.definition.responseStream);
}

/**
 * openStream is the innermost Call of streaming methods: it opens the stream on the chosen node and resolves once the
 * callee's headers arrive (or OK arrives first), within ctx.timeoutMs; otherwise it cancels the call and rejects.
 */
export function openStream(client: Client, input: StreamInput, ctx: CallContext): Promise<OpenStream> {
  const { path, requestSerialize, responseDeserialize, requestStream, responseStream } = ctx.definition;
  const metadata = ctx.metadata.clone();
  const options = { deadline: ctx.deadline.getTime() >= NO_DEADLINE.getTime() ? Infinity : ctx.deadline };
  let answer: (error: ServiceError | null, response?: unknown) => void = () => undefined;
  const answered = new Promise<unknown>((resolve, reject) => {
    answer = (error, response) => (error ? reject(error) : resolve(response));
  });
  answered.catch(() => undefined);
  const call =
    requestStream && !responseStream
      ? client.makeClientStreamRequest(
          path,
          requestSerialize,
          responseDeserialize,
          metadata,
          options,
          (e, r) => answer(e, r),
        )
      : requestStream
        ? client.makeBidiStreamRequest(path, requestSerialize, responseDeserialize, metadata, options)
        : client.makeServerStreamRequest(
            path,
            requestSerialize,
            responseDeserialize,
            'request' in input ? input.request : undefined,
            metadata,
            options,
          );
  // A readable call also reports a failed status as 'error': the iteration throws it; nobody else must crash on it.
  call.on('error', () => undefined);
  const status$ = new Promise<StatusObject>((resolve) => call.on('status', resolve));
  const closed = status$.then((end) => {
    if (end.code !== status.OK) throw statusError(end);
    return requestStream && !responseStream ? answered : undefined;
  });
  closed.catch(() => undefined);
  const opened: OpenStream = { call, closed, cancel: () => call.cancel() };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      call.cancel();
      reject(
        serviceError(status.DEADLINE_EXCEEDED, `${ctx.endpoint}: stream not started in ${ctx.timeoutMs} ms`),
      );
    }, ctx.timeoutMs);
    const started = (): void => {
      clearTimeout(timer);
      resolve(opened);
    };
    call.once('metadata', started);
    void status$.then((end) =>
      end.code === status.OK ? started() : (clearTimeout(timer), reject(statusError(end))),
    );
  });
}

/** pump writes the caller's messages into a started client or bidi stream, then half-closes it. */
export async function pump(requests: AsyncIterable<unknown>, opened: OpenStream): Promise<void> {
  const call = opened.call as ClientWritableStream<unknown>;
  // Once the callee has ended the stream (answered early, failed, or been cancelled), nothing more is pulled.
  let ended = false;
  call.once('status', () => (ended = true));
  try {
    for await (const message of requests) {
      if (ended) return;
      if (!call.write(message))
        await Promise.race([once(call, 'drain'), opened.closed.catch(() => undefined)]);
    }
    if (!ended) call.end();
  } catch {
    // The caller's own source failed: the stream cannot be completed truthfully, so it is cancelled, not ended.
    opened.cancel();
  }
}

/** responseStream turns a started server or bidi stream into what the typed client returns. */
export function responseStream<Res>(opened: OpenStream): ResponseStream<Res> {
  const call = opened.call as ClientReadableStream<Res>;
  const closed = opened.closed.then(() => undefined);
  closed.catch(() => undefined);
  return {
    closed,
    cancel: () => opened.cancel(),
    async *[Symbol.asyncIterator]() {
      let finished = false;
      try {
        for await (const message of call) yield message as Res;
        finished = true;
        await opened.closed;
      } finally {
        // Leaving early (break, a throw in the loop body) tells the callee to stop.
        if (!finished) opened.cancel();
      }
    },
  };
}

function statusError(end: StatusObject): ServiceError {
  return serviceError(end.code, end.details, end.metadata);
}
