import {
  type ChannelCredentials,
  type ChannelOptions,
  Client,
  Metadata,
  credentials,
  status,
} from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { serviceError } from '../breaker/breaker';
import type { Call } from './client';
import { isStreaming, openStream, type StreamInput } from './stream';

/**
 * ChannelPool keeps one grpc-js client (one channel, one long-lived HTTP/2 connection) per node address, reused by
 * every call to that node; the selector, not the channel, decides which node a call goes to.
 */
export class ChannelPool {
  private readonly clients = new Map<string, Client>();
  private closed = false;

  constructor(
    private readonly channelCredentials: ChannelCredentials = credentials.createInsecure(),
    private readonly channelOptions: ChannelOptions = {},
  ) {}

  /** get returns the client of `address`, opening it on first use. */
  get(address: string): Client {
    // After close a call must fail rather than quietly open a channel nobody will close.
    if (this.closed) throw serviceError(status.UNAVAILABLE, `client closed: no call to ${address}`);
    let client = this.clients.get(address);
    if (!client) {
      client = new Client(address, this.channelCredentials, this.channelOptions);
      this.clients.set(address, client);
    }
    return client;
  }

  /** drop closes the channel of an address that left the registry. */
  drop(address: string): void {
    this.clients.get(address)?.close();
    this.clients.delete(address);
  }

  /** close closes every channel. */
  close(): void {
    this.closed = true;
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }

  /**
   * transport is the innermost Call: it sends the request to the node the selector chose; for a streaming method it
   * opens the stream there and resolves with it once started (see stream.ts).
   */
  transport(): Call {
    return (request, ctx) =>
      new Promise((resolve, reject) => {
        if (!ctx.node) {
          reject(new Error(`transport: no node chosen for ${ctx.endpoint}`));
          return;
        }
        if (isStreaming(ctx)) {
          openStream(this.get(ctx.node.address), request as StreamInput, ctx).then(resolve, reject);
          return;
        }
        this.get(ctx.node.address).makeUnaryRequest(
          ctx.definition.path,
          ctx.definition.requestSerialize,
          ctx.definition.responseDeserialize,
          request,
          // A copy per attempt: grpc-js owns the metadata object it is given.
          ctx.metadata.clone(),
          { deadline: ctx.deadline },
          (err, response) => (err ? reject(err) : resolve(response)),
        );
      });
  }

  /**
   * status asks a node's grpc.health.v1 Health/Check and resolves with the answer (SERVING, NOT_SERVING,
   * SERVICE_UNKNOWN, ...); it rejects when the node cannot be asked. `service` '' asks about the server as a whole.
   */
  status(address: string, timeoutMs: number, service = ''): Promise<string> {
    const method = healthService.Check;
    return new Promise((resolve, reject) => {
      this.get(address).makeUnaryRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        { service },
        new Metadata(),
        { deadline: Date.now() + timeoutMs },
        (err, response) => {
          if (err) reject(err);
          else resolve(String((response as { status?: unknown } | undefined)?.status ?? 'UNKNOWN'));
        },
      );
    });
  }

  /** check resolves when a node's health check answers SERVING, and rejects otherwise (see status). */
  async check(address: string, timeoutMs: number, service = ''): Promise<void> {
    const state = await this.status(address, timeoutMs, service);
    if (state !== 'SERVING') {
      throw serviceError(status.UNAVAILABLE, `health check of ${address}: ${state}`);
    }
  }
}
