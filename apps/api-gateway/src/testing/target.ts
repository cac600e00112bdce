// Test support: where the contract tests send their requests. By default a Harness (the gateway over fakes, started
// here); with GATEWAY_CONTRACT_BASE_URL set, a gateway already running over the real services (the local stack).
// Tests that need to steer the backend (stop a service, hold a saga, sign odd tokens) read `harness` and run only
// against fakes; the rest use `http` and `fixtures` and run against either.
import { Fixtures } from './fixtures';
import { type Harness, startHarness } from './harness';
import { Http } from './http';

/** ContractTarget is a gateway to test. */
export interface ContractTarget {
  readonly http: Http;
  readonly fixtures: Fixtures;
  /** harness is present when the target is the gateway over fakes. */
  readonly harness?: Harness;
  close(): Promise<void>;
}

/** CONTRACT_BASE_URL_VARIABLE names the variable that points the contract tests at a running gateway. */
export const CONTRACT_BASE_URL_VARIABLE = 'GATEWAY_CONTRACT_BASE_URL';

/** contractTarget starts (or connects to) the gateway under test. */
export async function contractTarget(): Promise<ContractTarget> {
  const baseUrl = process.env[CONTRACT_BASE_URL_VARIABLE];
  if (baseUrl) {
    const http = new Http(baseUrl.replace(/\/$/, ''));
    return { http, fixtures: new Fixtures(http), close: async () => undefined };
  }
  const harness = await startHarness();
  return { http: harness.http, fixtures: harness.fixtures, harness, close: () => harness.close() };
}
