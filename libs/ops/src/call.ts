// `call <service> <Method> '<json>'`: any unary RPC through gRPC server reflection (no .proto files, like grpcurl).
// The descriptors come from the server (grpc-js-reflection-client), the request is checked against the message type
// (unknown fields and wrong types are refused, naming the field), and a failure is rendered as the google.rpc.Status
// the server sent, details included.
import {
  credentials,
  Client,
  Metadata,
  status as grpcStatus,
  type ChannelCredentials,
  type ServiceError,
} from '@grpc/grpc-js';
import { BadRequest, ErrorInfo, RpcStatus } from '@blog/proto';
import { GrpcReflection, type Descriptor } from 'grpc-js-reflection-client';
import { notFound, unavailable, usage } from './errors';

/** CallOptions are the call's metadata (name -> value) and deadline in milliseconds. */
export interface CallOptions {
  metadata?: Record<string, string>;
  deadlineMs?: number;
  /** credentials of the channel: the tools' mTLS identity (plain TCP when absent). */
  credentials?: ChannelCredentials;
}

/** CallResult is the response as proto3 JSON, or the google.rpc.Status of a failed call. */
export type CallResult =
  | { ok: true; response: Record<string, unknown> }
  | {
      ok: false;
      status: { code: number; codeName: string; message: string; details: Record<string, unknown>[] };
    };

/** Type is a message type of the reflected descriptors (the reflection client's own protobufjs). */
type Type = ReturnType<ReturnType<Descriptor['getProtobufJsRoot']>['lookupType']>;

const DEFAULT_DEADLINE_MS = 10_000;
const toJson = { longs: String, enums: String, defaults: true, json: true } as const;

/** parseJsonArgument parses the request argument, refusing anything but a JSON object. */
export function parseJsonArgument(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw usage(`malformed JSON request: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw usage('malformed JSON request: expected an object, e.g. \'{"userId":"..."}\'');
  }
  return value as Record<string, unknown>;
}

/** parseMetadata reads `name: value` (or name=value) pairs. */
export function parseMetadata(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const match = /^([A-Za-z0-9_.-]+)\s*[:=]\s*(.*)$/.exec(pair);
    if (!match?.[1]) throw usage(`malformed --metadata "${pair}": expected name:value`);
    out[match[1].toLowerCase()] = match[2] ?? '';
  }
  return out;
}

/** listMethods returns the services and methods a server exposes through reflection. */
export async function listMethods(
  address: string,
  channelCredentials: ChannelCredentials = credentials.createInsecure(),
): Promise<{ service: string; methods: string[] }[]> {
  const reflection = new GrpcReflection(address, channelCredentials);
  const services = await reflected(address, () => reflection.listServices());
  const out = [];
  for (const service of services.filter((s) => !s.startsWith('grpc.reflection'))) {
    const root = (await reflection.getDescriptorBySymbol(service)).getProtobufJsRoot();
    out.push({ service, methods: Object.keys(root.lookupService(service).methods) });
  }
  return out;
}

/** callMethod calls `method` of the service that `address` serves (its business service unless `serviceName` is given). */
export async function callMethod(
  address: string,
  method: string,
  request: Record<string, unknown>,
  options: CallOptions & { serviceName?: string } = {},
): Promise<CallResult> {
  const channelCredentials = options.credentials ?? credentials.createInsecure();
  const reflection = new GrpcReflection(address, channelCredentials);
  const services = (await reflected(address, () => reflection.listServices())).filter(
    (s) =>
      !s.startsWith('grpc.reflection') &&
      (options.serviceName ? s === options.serviceName : !s.startsWith('grpc.health')),
  );
  const [serviceName] = services;
  if (!serviceName) throw notFound(`no service ${options.serviceName ?? ''} behind ${address}`);
  const root = (await reflection.getDescriptorBySymbol(serviceName)).getProtobufJsRoot();
  const service = root.lookupService(serviceName);
  const name = Object.keys(service.methods).find((m) => m.toLowerCase() === method.toLowerCase());
  const rpc = name ? service.methods[name] : undefined;
  if (!name || !rpc) {
    throw notFound(
      `unknown method "${method}" of ${serviceName}: one of ${Object.keys(service.methods).join(', ')}`,
    );
  }
  if (rpc.requestStream || rpc.responseStream)
    throw usage(`${serviceName}/${name} is a streaming method: call supports unary methods`);
  const requestType = root.lookupType(rpc.requestType);
  const responseType = root.lookupType(rpc.responseType);
  const message = requestType.fromObject(checkRequest(requestType, request));
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(options.metadata ?? {})) metadata.set(key, value);
  const client = new Client(address, channelCredentials);
  try {
    return await new Promise<CallResult>((resolve, reject) => {
      client.makeUnaryRequest(
        `/${serviceName}/${name}`,
        () => Buffer.from(requestType.encode(message).finish()),
        (bytes: Buffer) => responseType.decode(bytes),
        message,
        metadata,
        { deadline: Date.now() + (options.deadlineMs ?? DEFAULT_DEADLINE_MS) },
        (error: ServiceError | null, reply?: unknown) => {
          if (!error)
            return resolve({
              ok: true,
              response: jsonNames(responseType.toObject(reply as never, toJson)) as Record<string, unknown>,
            });
          if (error.code === grpcStatus.UNAVAILABLE && /ECONNREFUSED|No connection/.test(error.details)) {
            return reject(unavailable(`${address} is not reachable: is the service up?`));
          }
          resolve({ ok: false, status: statusOf(error) });
        },
      );
    });
  } finally {
    client.close();
  }
}

/** checkRequest refuses unknown fields and values of the wrong type, naming the field; returns the request with
 * proto3 JSON names (userId) turned into the descriptor's field names (user_id), nested messages included. */
export function checkRequest(
  type: Type,
  request: Record<string, unknown>,
  path = '',
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(request)) {
    const field = Object.values(type.fields).find((f) => f.name === key || camel(f.name) === key);
    if (!field) {
      throw usage(
        `unknown field "${path}${key}" in ${type.name}: one of ${Object.values(type.fields)
          .map((f) => camel(f.name))
          .join(', ')}`,
      );
    }
    field.resolve();
    const nested =
      field.resolvedType && 'fields' in field.resolvedType ? (field.resolvedType as Type) : undefined;
    const convert = (v: unknown) =>
      nested && typeof v === 'object' && v !== null && !Array.isArray(v)
        ? checkRequest(nested, v as Record<string, unknown>, `${path}${key}.`)
        : v;
    out[field.name] = Array.isArray(value) ? value.map(convert) : convert(value);
  }
  const problem = type.verify(out);
  if (problem) throw usage(`bad request for ${type.name}: ${path}${problem}`);
  return out;
}

/** jsonNames turns the descriptor's field names into proto3 JSON names, recursively. */
export function jsonNames(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(jsonNames);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [camel(k), jsonNames(v)]));
}

const camel = (name: string): string => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** statusOf renders a failed call as google.rpc.Status JSON with its details decoded. */
export function statusOf(error: ServiceError): Extract<CallResult, { ok: false }>['status'] {
  const raw = error.metadata?.get('grpc-status-details-bin')[0];
  const details: Record<string, unknown>[] = [];
  let message = error.details;
  if (raw instanceof Buffer) {
    const rich = RpcStatus.decode(raw);
    message = rich.message || message;
    for (const any of rich.details) {
      const typeName = any.typeUrl.split('/').pop();
      if (typeName === 'google.rpc.BadRequest')
        details.push({
          '@type': any.typeUrl,
          ...(BadRequest.toJSON(BadRequest.decode(any.value)) as object),
        });
      else if (typeName === 'google.rpc.ErrorInfo')
        details.push({ '@type': any.typeUrl, ...(ErrorInfo.toJSON(ErrorInfo.decode(any.value)) as object) });
      else details.push({ '@type': any.typeUrl, value: Buffer.from(any.value).toString('base64') });
    }
  }
  return { code: error.code, codeName: grpcStatus[error.code] ?? 'UNKNOWN', message, details };
}

async function reflected<T>(address: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    throw unavailable(`reflection on ${address} failed: ${text.split('\n')[0]} (is the service up?)`);
  }
}
