// A property-based fuzz of a REST API described by its OpenAPI document: fast-check arbitraries for requests to every
// route (valid-looking values from each schema mixed with hostile ones: NUL, lone surrogates, huge numbers, wrong
// types, long strings, undecodable escapes, broken JSON, odd encodings), and the check every answer must pass (no
// 5xx, every error in the contract's shape with a request id). New routes are fuzzed as soon as they are documented.
//
//   const document = await (await fetch(`${baseUrl}/openapi.json`)).json();
//   await fc.assert(fc.asyncProperty(fuzzRequests(document, known), async (request) => {
//     expect(contractProblems(await sendFuzzRequest(baseUrl, request))).toEqual([]);
//   }), { seed: fuzzSeed(), numRuns: 300, interruptAfterTimeLimit: 60_000 });
import fc from 'fast-check';

/** OpenApiDocument is the part of an OpenAPI 3 document the fuzz reads. */
export interface OpenApiDocument {
  readonly paths: Record<string, Record<string, OpenApiOperation>>;
}

/** OpenApiOperation is one method of one path. */
export interface OpenApiOperation {
  readonly parameters?: readonly { in: string; name: string; schema?: JsonSchema }[];
  readonly requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

/** JsonSchema is the subset of JSON Schema the generators understand; anything else gets hostile values only. */
export interface JsonSchema {
  readonly type?: string;
  readonly format?: string;
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly enum?: readonly unknown[];
  readonly items?: JsonSchema;
  readonly properties?: Record<string, JsonSchema>;
}

/** KnownValues are real values of the system under test, so requests reach past "not found" now and then. */
export interface KnownValues {
  /** ids of users, blogs and posts that exist. */
  readonly ids: readonly string[];
  /** slugs of blogs that exist. */
  readonly slugs: readonly string[];
  /** tokens are valid access tokens. */
  readonly tokens: readonly string[];
}

/** FuzzRequest is one generated request. */
export interface FuzzRequest {
  readonly method: string;
  /** path is already encoded (it may hold deliberately bad escapes). */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** FuzzAnswer is what the checks need of a response. */
export interface FuzzAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** HTTP_METHODS are the OpenAPI operation keys that are methods. */
const HTTP_METHODS = new Set(['get', 'put', 'post', 'patch', 'delete']);

/** CONTRACT_STATUS is the contract's error table: code -> HTTP status. */
export const CONTRACT_STATUS: Readonly<Record<string, number>> = {
  INVALID_ARGUMENT: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  FAILED_PRECONDITION: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RESOURCE_EXHAUSTED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
};

/** hostileStrings are strings that break naive code: NUL, lone surrogates, bidi and BOM marks, injections, sizes. */
export function hostileStrings(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(
      '\u0000',
      'a\u0000b',
      '\ud800',
      'x\udfffy',
      '\u202e\u0301\u200b',
      '\ufeff',
      '\uffff',
      '',
      ' ',
      '\t\r\n',
      "'; DROP TABLE users; --",
      '<script>alert(1)</script>',
      '%00',
      '../../etc/passwd',
      '${jndi:ldap://x}',
      '1e400',
      '-0',
      'null',
      '😀🏳️‍🌈'.repeat(40),
    ),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: 'binary-ascii', maxLength: 40 }),
    fc.constantFrom(2, 101, 1001, 100_001).map((n) => 'x'.repeat(n)),
  );
}

/** hostileValues are hostile strings plus values of the wrong JSON type and numbers at the edges. */
export function hostileValues(): fc.Arbitrary<unknown> {
  return fc.oneof(
    hostileStrings(),
    fc.constantFrom(0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, true, false, null, [], {}, ['a'], { a: 1 }),
    fc.integer(),
    fc.double({ noNaN: true }),
  );
}

// A value that follows the schema (mostly), so requests also get past validation.
function schemaValue(schema: JsonSchema | undefined, known: KnownValues): fc.Arbitrary<unknown> {
  if (!schema) return hostileValues();
  if (schema.enum && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'string':
      return stringValue(schema, known);
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 });
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(fieldValue(schema.items, known), { maxLength: 12 });
    case 'object':
      return objectValue(schema, known);
    default:
      return hostileValues();
  }
}

function stringValue(schema: JsonSchema, known: KnownValues): fc.Arbitrary<string> {
  if (schema.format === 'uuid')
    return known.ids.length > 0 ? fc.oneof(fc.constantFrom(...known.ids), fc.uuid()) : fc.uuid();
  if (schema.format === 'email') return fc.emailAddress();
  const maxLength = Math.min(schema.maxLength ?? 40, 60);
  if (schema.pattern) {
    return fc
      .stringMatching(new RegExp(schema.pattern))
      .filter((value) => value.length >= (schema.minLength ?? 0) && value.length <= maxLength);
  }
  return fc.string({ unit: 'grapheme', minLength: schema.minLength ?? 0, maxLength });
}

// A field's value: usually from its schema, often hostile.
function fieldValue(schema: JsonSchema | undefined, known: KnownValues): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: schemaValue(schema, known) },
    { weight: 2, arbitrary: hostileValues() },
  );
}

function objectValue(schema: JsonSchema, known: KnownValues): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.fromEntries(
    Object.entries(schema.properties ?? {}).map(([name, property]) => [name, fieldValue(property, known)]),
  );
  return fc
    .tuple(
      fc.record(fields, { requiredKeys: [] }),
      fc.option(fc.tuple(fc.constantFrom('unknownField', '__proto__', 'constructor', ''), hostileValues()), {
        freq: 5,
      }),
    )
    .map(([object, extra]) => (extra ? { ...object, [extra[0]]: extra[1] } : object));
}

// Bodies that are not a JSON object at all.
const BROKEN_BODIES = [
  '{',
  'null',
  '[]',
  '"x"',
  '{"a":1}{',
  '\u0000',
  '{"__proto__":{"x":1}}',
  '{"email": 1e400}',
  '',
];

/** wellFormed replaces lone surrogates with U+FFFD (String.prototype.toWellFormed, which ES2023 typings lack). */
export function wellFormed(value: string): string {
  return value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** encodePathSegment percent-encodes a string for a path or query (a URL cannot carry a lone surrogate). */
export function encodePathSegment(value: string): string {
  return encodeURIComponent(wellFormed(value));
}

function pathParam(schema: JsonSchema | undefined, known: KnownValues): fc.Arbitrary<string> {
  const known_ = [...known.ids, ...known.slugs];
  return fc.oneof(
    { weight: 4, arbitrary: known_.length > 0 ? fc.constantFrom(...known_) : fc.uuid() },
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 2, arbitrary: schemaValue(schema, known).map((value) => encodePathSegment(String(value))) },
    { weight: 2, arbitrary: hostileStrings().map(encodePathSegment) },
    // Already encoded, some of them wrongly on purpose.
    {
      weight: 1,
      arbitrary: fc.constantFrom('%zz', '%', '%ED%A0%80', '%C0%AF', 'a'.repeat(2000), '..', '%2F', '%00'),
    },
  );
}

function queryValue(schema: JsonSchema | undefined, known: KnownValues): fc.Arbitrary<string> {
  return fc.oneof(
    schemaValue(schema, known).map((value) => encodePathSegment(String(value))),
    hostileStrings().map((value) => encodePathSegment(value)),
    fc.constantFrom('1e400', '-1', '0', '101', 'abc', '%zz', '', '1&limit=2'),
  );
}

function operationRequest(
  path: string,
  method: string,
  operation: OpenApiOperation,
  known: KnownValues,
): fc.Arbitrary<FuzzRequest> {
  const params = operation.parameters ?? [];
  const pathParams = params.filter((p) => p.in === 'path');
  const queryParams = params.filter((p) => p.in === 'query');
  const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
  const body: fc.Arbitrary<string | undefined> = bodySchema
    ? fc.oneof(
        { weight: 6, arbitrary: objectValue(bodySchema, known).map((value) => JSON.stringify(value)) },
        { weight: 1, arbitrary: fc.constantFrom(...BROKEN_BODIES) },
      )
    : method === 'get' // fetch cannot send a body with GET
      ? fc.constant(undefined)
      : fc.option(fc.constantFrom('{}', '{"x":1}', '\u0000'), { freq: 4, nil: undefined });
  return fc
    .record({
      pathValues: fc.tuple(...pathParams.map((p) => pathParam(p.schema, known))),
      query: fc.tuple(
        ...queryParams.map((p) =>
          fc.option(
            queryValue(p.schema, known).map((value) => `${p.name}=${value}`),
            { nil: undefined },
          ),
        ),
        fc.option(
          hostileStrings().map((value) => `extra=${encodePathSegment(value)}`),
          {
            nil: undefined,
          },
        ),
      ),
      body,
      token: fc.oneof(
        {
          weight: 4,
          arbitrary: known.tokens.length > 0 ? fc.constantFrom(...known.tokens) : fc.constant(undefined),
        },
        { weight: 1, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.constantFrom('garbage', 'a.b.c', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.') },
      ),
      contentType: fc.oneof(
        { weight: 8, arbitrary: fc.constant('application/json') },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            'text/plain',
            'application/json; charset=latin1',
            'application/json; charset=UTF-8',
            'application/xml',
          ),
        },
      ),
      contentEncoding: fc.option(fc.constantFrom('gzip', 'br', 'compress', 'identity'), {
        freq: 10,
        nil: undefined,
      }),
    })
    .map(({ pathValues, query, body, token, contentType, contentEncoding }) => {
      let index = 0;
      const filled = path.replace(/\{[^}]+\}/g, () => pathValues[index++] ?? '');
      const search = query.filter((part): part is string => part !== undefined).join('&');
      const headers: Record<string, string> = { accept: 'application/json' };
      if (token) headers['authorization'] = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = contentType;
      if (body !== undefined && contentEncoding) headers['content-encoding'] = contentEncoding;
      return {
        method: method.toUpperCase(),
        path: search ? `${filled}?${search}` : filled,
        headers,
        ...(body !== undefined ? { body } : {}),
      };
    });
}

/** documentedRoutes lists the method and path of every operation in the document. */
export function documentedRoutes(document: OpenApiDocument): { method: string; path: string }[] {
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations)
      .filter((method) => HTTP_METHODS.has(method))
      .map((method) => ({ method: method.toUpperCase(), path })),
  );
}

/** fuzzRequests is an arbitrary request to any documented route, every route equally likely. */
export function fuzzRequests(document: OpenApiDocument, known: KnownValues): fc.Arbitrary<FuzzRequest> {
  const operations = Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations)
      .filter(([method]) => HTTP_METHODS.has(method))
      .map(([method, operation]) => operationRequest(path, method, operation, known)),
  );
  if (operations.length === 0) throw new Error('the OpenAPI document has no operations');
  return fc.oneof(...operations);
}

/** sendFuzzRequest sends one generated request and reads the whole answer. */
export async function sendFuzzRequest(baseUrl: string, request: FuzzRequest): Promise<FuzzAnswer> {
  const response = await fetch(`${baseUrl}${request.path}`, {
    method: request.method,
    headers: request.headers,
    body: request.body,
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** contractProblems lists how an answer breaks the contract: a 5xx, no request id, an error not in the error shape. */
export function contractProblems(answer: FuzzAnswer): string[] {
  const problems: string[] = [];
  if (answer.status >= 500) problems.push(`status ${answer.status}`);
  if (!answer.headers.get('x-request-id')) problems.push('no X-Request-Id');
  if (answer.status < 400) return problems;
  if (!answer.headers.get('content-type')?.startsWith('application/json')) {
    problems.push(`error content-type ${answer.headers.get('content-type')}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return [...problems, `error body is not JSON: ${answer.text.slice(0, 200)}`];
  }
  const error = (body as { error?: Record<string, unknown> } | null)?.error;
  if (!error || Object.keys(body as object).length !== 1)
    return [...problems, `not {"error": ...}: ${answer.text}`];
  const { code, message, details, ...rest } = error;
  if (typeof code !== 'string' || CONTRACT_STATUS[code] !== answer.status) {
    problems.push(`code ${String(code)} with status ${answer.status}`);
  }
  if (typeof message !== 'string' || message === '') problems.push('no message');
  if (Object.keys(rest).length > 0) problems.push(`unexpected error fields ${Object.keys(rest).join(', ')}`);
  if (
    details !== undefined &&
    !(
      Array.isArray(details) &&
      details.every(
        (d) => typeof d?.field === 'string' && typeof d?.message === 'string' && Object.keys(d).length === 2,
      )
    )
  ) {
    problems.push(`malformed details ${JSON.stringify(details)}`);
  }
  return problems;
}

/** breakerStates reads every `circuit_state{name}` of a Prometheus text exposition (0 closed, 1 half-open, 2 open). */
export function breakerStates(metricsText: string): Record<string, number> {
  const states: Record<string, number> = {};
  // Labels in any order, next to default labels such as service="api-gateway".
  for (const match of metricsText.matchAll(/^circuit_state\{([^}]*)\} (\S+)$/gm)) {
    const name = /(?:^|,)name="([^"]+)"/.exec(match[1] as string)?.[1];
    if (name !== undefined) states[name] = Number(match[2]);
  }
  return states;
}

/** fuzzSeed is the seed of a fuzz run: FUZZ_SEED from the environment, else a fixed one so runs repeat. */
export function fuzzSeed(): number {
  const fromEnv = Number(process.env['FUZZ_SEED']);
  return Number.isInteger(fromEnv) && process.env['FUZZ_SEED'] ? fromEnv : 20_261_202;
}

/** FuzzRunOptions bound a fuzz run. */
export interface FuzzRunOptions {
  runs: number;
  timeLimitMs: number;
}

/**
 * fuzzRoutes sends seeded generated requests to every documented route of the gateway at `baseUrl` and fails (with the
 * request and the answer) on the first that breaks the contract; it returns how many requests it sent. One runner for
 * the gateway's unit fuzz and the e2e fuzz, so both check the same thing the same way.
 */
export async function fuzzRoutes(
  baseUrl: string,
  document: OpenApiDocument,
  known: KnownValues,
  options: FuzzRunOptions,
): Promise<number> {
  let sent = 0;
  await fc.assert(
    fc.asyncProperty(fuzzRequests(document, known), async (request) => {
      sent += 1;
      const answer = await sendFuzzRequest(baseUrl, request);
      const problems = contractProblems(answer);
      if (problems.length > 0) {
        throw new Error(
          `${request.method} ${request.path} -> ${answer.status} ${answer.text}: ${problems.join('; ')}`,
        );
      }
    }),
    {
      seed: fuzzSeed(),
      numRuns: options.runs,
      interruptAfterTimeLimit: options.timeLimitMs,
      markInterruptAsFailure: false,
    },
  );
  return sent;
}
