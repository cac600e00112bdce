// The typed client of the gateway: openapi-fetch over the `paths` that openapi-typescript generated from the
// committed OpenAPI document (openapi.gen.ts; `npm run openapi:generate`). A path, parameter or body the document
// does not have is a type error, so the suite's moves (sagas.ts) break at typecheck when the document drifts.
import createClient, { type Client } from 'openapi-fetch';
import type { ApiResponse, RestClient } from './client';
import type { paths } from './openapi.gen';

/** Paths is the gateway's REST API as the document describes it. */
export type Paths = paths;

/** TypedApi is one gateway, typed; its requests go through the RestClient's fetch (429s, OpenAPI records). */
export type TypedApi = Client<paths>;

/** typedApi builds the typed client on a RestClient's base URL and fetch. */
export function typedApi(rest: RestClient): TypedApi {
  return createClient<paths>({ baseUrl: rest.baseUrl, fetch: rest.fetch });
}

/** bearer is the Authorization header of a token (none without one). */
export function bearer(token?: string): { authorization?: string } {
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** answer runs one typed call and returns it as the suite's ApiResponse (body: the data, or the error body). */
export async function answer<D, E>(
  call: Promise<{ data?: D; error?: E; response: Response }>,
): Promise<ApiResponse<D>> {
  const started = performance.now();
  const { data, error, response } = await call;
  return {
    status: response.status,
    headers: response.headers,
    body: (data ?? error) as D,
    ms: performance.now() - started,
  };
}
