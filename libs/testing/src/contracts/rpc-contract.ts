// RPC contracts: the interactions the gateway's tests rely on (request -> status and response, per RPC) recorded in
// contracts/rpc/api-gateway-<service>.json, and replayed against both the gateway's hand-written fake and the real
// service, so a fake that drifts from its service fails the build. Not Pact: Pact speaks gRPC only through its
// protobuf plugin, which it downloads at run time; a recorded-interactions file and this replayer need nothing more
// than the services' own clients.
//
// Values in a request or response: "$state.<name>" is a value the interaction's state arranged; "$uuid" a new UUID;
// "$hex" a new hex suffix (inside a string too: "pact_$hex"). In a response only: "<uuid>", "<string>", "<timestamp>",
// "<number>", "<boolean>" match any value of that kind; an array holds one template that every element must match
// (and there must be at least one); anything else must be equal. Fields the response has beyond these are allowed.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readErrorDetails, type StatusLike } from '@blog/framework';

/** RPC_CONTRACTS_DIR is the repository's folder of recorded RPC interactions. */
export const RPC_CONTRACTS_DIR = join(__dirname, '..', '..', '..', '..', 'contracts', 'rpc');

/** RpcInteraction is one recorded call: in a state, this request gets this status (and response). */
export interface RpcInteraction {
  description: string;
  /** given names a state both the fake and the real service arrange before the call (see RpcStates). */
  given?: string;
  /** method is the client method, e.g. "getUser". */
  method: string;
  request: Record<string, unknown>;
  /** status is "OK" or the gRPC status code name, e.g. "NOT_FOUND". */
  status: string;
  response?: Record<string, unknown>;
}

/** RpcContract is the gateway's recorded interactions with one service. */
export interface RpcContract {
  consumer: string;
  provider: string;
  interactions: RpcInteraction[];
}

/** RpcStates arrange the named states on one side (fake or real) and return the values they made. */
export type RpcStates = Record<string, () => Promise<Record<string, string>>>;

/** RpcClient is a service client: any method taking a request object. */
export type RpcClient = object;

/** readRpcContract loads the gateway's contract with a service. */
export function readRpcContract(provider: string, consumer = 'api-gateway'): RpcContract {
  return JSON.parse(
    readFileSync(join(RPC_CONTRACTS_DIR, `${consumer}-${provider}.json`), 'utf8'),
  ) as RpcContract;
}

/** RpcMismatch is one way a side answered differently from the recorded interaction. */
export interface RpcMismatch {
  description: string;
  path: string;
  problem: string;
}

/** RpcContractBreak is a failed replay, naming the side, the provider and each mismatch. */
export class RpcContractBreak extends Error {
  override readonly name = 'RpcContractBreak';
  constructor(
    readonly side: string,
    readonly provider: string,
    readonly mismatches: readonly RpcMismatch[],
  ) {
    super(
      `${side} breaks the ${provider} RPC contract:\n` +
        mismatches.map((m) => `  "${m.description}" at ${m.path}: ${m.problem}`).join('\n'),
    );
  }
}

function fill(value: unknown, state: Record<string, string>): unknown {
  if (typeof value === 'string') {
    if (value.startsWith('$state.')) {
      const name = value.slice('$state.'.length);
      if (!(name in state)) throw new Error(`the state has no value ${name}`);
      return state[name];
    }
    if (value === '$uuid') return randomUUID();
    return value.replaceAll('$hex', () => randomBytes(5).toString('hex'));
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, state));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, state)]));
  return value;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const KINDS: Record<string, (v: unknown) => boolean> = {
  '<uuid>': (v) => typeof v === 'string' && UUID.test(v),
  '<string>': (v) => typeof v === 'string',
  '<timestamp>': (v) => (typeof v === 'string' && TIMESTAMP.test(v)) || v instanceof Date,
  '<number>': (v) => typeof v === 'number',
  '<boolean>': (v) => typeof v === 'boolean',
};

/** matchShape lists where `actual` differs from the response template `expected` (see the file's header). */
export function matchShape(
  expected: unknown,
  actual: unknown,
  path = '$',
): { path: string; problem: string }[] {
  if (typeof expected === 'string' && expected in KINDS) {
    return KINDS[expected](actual)
      ? []
      : [{ path, problem: `expected ${expected}, got ${JSON.stringify(actual)}` }];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length === 0)
      return [{ path, problem: `expected a non-empty list, got ${JSON.stringify(actual)}` }];
    return actual.flatMap((item, i) => matchShape(expected[0], item, `${path}[${i}]`));
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object')
      return [{ path, problem: `expected an object, got ${JSON.stringify(actual)}` }];
    return Object.entries(expected).flatMap(([key, value]) =>
      key in actual
        ? matchShape(value, (actual as Record<string, unknown>)[key], `${path}.${key}`)
        : [{ path: `${path}.${key}`, problem: 'missing' }],
    );
  }
  return Object.is(expected, actual)
    ? []
    : [{ path, problem: `expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}` }];
}

/** statusName is the gRPC status code name of a failed call ("OK" when it did not fail). */
function statusName(error: unknown): string {
  return readErrorDetails(error as StatusLike).codeName;
}

/** replayInteraction runs one recorded interaction against `client` and lists its mismatches. */
export async function replayInteraction(
  interaction: RpcInteraction,
  client: RpcClient,
  states: RpcStates,
): Promise<RpcMismatch[]> {
  const { description } = interaction;
  const arrange = interaction.given ? states[interaction.given] : undefined;
  if (interaction.given && !arrange)
    return [{ description, path: 'given', problem: `no state "${interaction.given}" on this side` }];
  const state = arrange ? await arrange() : {};
  const method = (client as Record<string, unknown>)[interaction.method];
  if (typeof method !== 'function')
    return [{ description, path: 'method', problem: `no method ${interaction.method}` }];
  const request = fill(interaction.request, state);
  let response: unknown;
  let status = 'OK';
  try {
    response = await (method as (r: unknown) => Promise<unknown>).call(client, request);
  } catch (error) {
    status = statusName(error);
  }
  if (status !== interaction.status)
    return [{ description, path: 'status', problem: `expected ${interaction.status}, got ${status}` }];
  if (status !== 'OK' || !interaction.response) return [];
  return matchShape(fill(interaction.response, state), response).map((m) => ({ description, ...m }));
}

/** replayRpcContract replays every interaction of the contract; rejects with RpcContractBreak on any mismatch. */
export async function replayRpcContract(
  side: string,
  contract: RpcContract,
  client: RpcClient,
  states: RpcStates,
): Promise<void> {
  const mismatches: RpcMismatch[] = [];
  for (const interaction of contract.interactions)
    mismatches.push(...(await replayInteraction(interaction, client, states)));
  if (mismatches.length > 0) throw new RpcContractBreak(side, contract.provider, mismatches);
}
