// The gateway's fakes are verified contracts: every interaction recorded in contracts/rpc/api-gateway-<service>.json
// is replayed against the FakeBackend the gateway's tests run against (and, in each service's integration tests,
// against the real service), so a fake that drifts from its service fails here or there.
import { createClient, StaticRegistry } from '@blog/framework/core';
import { auth, blog, post, subscribe, user, visitor } from '@blog/proto';
import { readRpcContract, replayRpcContract, RpcContractBreak } from '@blog/testing/contracts';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeBackend } from '../testing/fake-backend';
import { fakeStates } from '../testing/fake-states';

const DEFINITIONS = {
  auth: auth.AuthServiceService,
  user: user.UserServiceService,
  blog: blog.BlogServiceService,
  post: post.PostServiceService,
  subscribe: subscribe.SubscribeServiceService,
  visitor: visitor.VisitorServiceService,
} as const;
type Service = keyof typeof DEFINITIONS;

let backend: FakeBackend;
const clients = {} as { [K in Service]: ReturnType<typeof createClient<(typeof DEFINITIONS)[K]>> };
let states: ReturnType<typeof fakeStates>;

beforeAll(async () => {
  backend = await FakeBackend.start();
  // The real services on the contract's stack run alone: no saga completes behind a call's back.
  backend.world.holdSagas = true;
  const registry = new StaticRegistry(backend.env);
  const logger = pino({ level: 'silent' });
  for (const service of Object.keys(DEFINITIONS) as Service[]) {
    (clients as Record<Service, unknown>)[service] = createClient(DEFINITIONS[service], {
      service,
      registry,
      logger,
      deadlineMs: 5_000,
    });
  }
  states = fakeStates(backend.world, clients);
});
afterAll(async () => {
  for (const client of Object.values(clients)) client.close();
  await backend?.close();
});

describe('the fakes keep the recorded RPC contracts', () => {
  for (const service of Object.keys(DEFINITIONS) as Service[]) {
    it(`fake ${service}`, async () => {
      await replayRpcContract(`fake ${service}`, readRpcContract(service), clients[service], states[service]);
    });
  }

  it('a drifted fake fails its contract, naming the interaction', async () => {
    // The drift is injected into the running fake, not written into its code: GetUser answers OK with no user.
    backend.override('user', 'getUser', () => ({ user: undefined }));
    try {
      const failure = await replayRpcContract(
        'fake user',
        readRpcContract('user'),
        clients.user,
        states.user,
      ).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(RpcContractBreak);
      expect((failure as RpcContractBreak).mismatches).toEqual([
        expect.objectContaining({ description: 'GetUser of a user answers the profile', path: '$.user' }),
        expect.objectContaining({ description: 'GetUser of an unknown user is NOT_FOUND', path: 'status' }),
      ]);
      expect((failure as RpcContractBreak).message).toMatch(/fake user breaks the user RPC contract/);
    } finally {
      backend.reset();
    }
  });
});
