// A small REST client of the gateway on fetch: JSON in and out, the bearer token, the elapsed time of each call.
// A 429 is waited out (Retry-After) and retried a few times: rate limits are not what these scenarios test.
// When the run validates its traffic against the OpenAPI document, `baseUrl` is Prism's proxy (openapi-record.ts).
import { recordExchange } from './openapi-record';

/**
 * Json is a response body as the tests read it: untyped on purpose, since the tests assert the contract's shapes
 * field by field rather than trusting a type.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** ApiResponse is one answer; `body` is the parsed JSON (undefined for an empty body). */
export interface ApiResponse<T = Json> {
  status: number;
  headers: Headers;
  body: T;
  /** ms is the time from sending the request to the parsed body. */
  ms: number;
}

/** RequestOptions add a body, a bearer token or headers to a request. */
export interface RequestOptions {
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/** RestClient calls one gateway. */
export class RestClient {
  constructor(readonly baseUrl: string) {}

  get = <T = Json>(path: string, options?: RequestOptions) => this.request<T>('GET', path, options);
  post = <T = Json>(path: string, body?: unknown, options?: RequestOptions) =>
    this.request<T>('POST', path, { ...options, body });
  put = <T = Json>(path: string, options?: RequestOptions) => this.request<T>('PUT', path, options);
  patch = <T = Json>(path: string, body?: unknown, options?: RequestOptions) =>
    this.request<T>('PATCH', path, { ...options, body });
  delete = <T = Json>(path: string, options?: RequestOptions) => this.request<T>('DELETE', path, options);

  /** request sends one request; network errors reject, every HTTP status resolves. */
  async request<T = Json>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<ApiResponse<T>> {
    for (let attempt = 1; ; attempt++) {
      const response = await this.once<T>(method, path, options);
      if (response.status !== 429 || attempt === 5) return response;
      const waitSeconds = Number(response.headers.get('retry-after') || 1);
      await new Promise((resolve) => setTimeout(resolve, Math.min(waitSeconds, 10) * 1000));
    }
  }

  private async once<T>(method: string, path: string, options: RequestOptions): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    const started = performance.now();
    const response = await this.exchange(
      new Request(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
      }),
    );
    const text = await response.text();
    let body: unknown = undefined;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    return {
      status: response.status,
      headers: response.headers,
      body: body as T,
      ms: performance.now() - started,
    };
  }

  /**
   * fetch is this client as a fetch function (for the typed client, openapi-fetch): the same 429 handling and the
   * same record of what the OpenAPI validator said.
   */
  readonly fetch = async (request: Request): Promise<Response> => {
    for (let attempt = 1; ; attempt++) {
      const response = await this.exchange(request.clone());
      if (response.status !== 429 || attempt === 5) return response;
      await response.arrayBuffer();
      const waitSeconds = Number(response.headers.get('retry-after') || 1);
      await new Promise((resolve) => setTimeout(resolve, Math.min(waitSeconds, 10) * 1000));
    }
  };

  /** exchange sends one request and records the validator's findings on its answer. */
  private async exchange(request: Request): Promise<Response> {
    const response = await fetch(request);
    recordExchange(request.method, request.url, response);
    return response;
  }
}

/** describe renders a response for assertion messages: `409 {"error":...}`. */
export const describeResponse = (response: ApiResponse): string =>
  `${response.status} ${typeof response.body === 'string' ? response.body : JSON.stringify(response.body)}`;
