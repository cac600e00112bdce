// What every route module gets: the downstream clients (scoped to the request), and the few gateway services.
import type { AccountStatusChecker } from '../auth/auth';
import type { GatewayClients } from '../clients';
import type { ViewRecorder } from '../composition/view-recorder';

/** RouteDeps are injected into every route module. */
export interface RouteDeps {
  readonly clients: GatewayClients;
  readonly accounts: AccountStatusChecker;
  readonly views: ViewRecorder;
}

/** BEARER_AUTH is the OpenAPI security requirement of authenticated routes. */
export const BEARER_AUTH = [{ bearerAuth: [] }];

/** OPTIONAL_BEARER_AUTH: a token identifies the caller when sent (an invalid one is 401), none is fine too. */
export const OPTIONAL_BEARER_AUTH: Array<Record<string, string[]>> = [{ bearerAuth: [] }, {}];
