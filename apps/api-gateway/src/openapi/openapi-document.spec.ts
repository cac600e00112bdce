// The committed OpenAPI document (apps/api-gateway/openapi.json) is the one the gateway serves: the typed client of
// the e2e suite is generated from that file (tools/openapi/client-types.ts), so a route schema changed without
// regenerating fails here. `npm run openapi:generate` rewrites the file (and the client) from the served document.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness';

/** DOCUMENT_FILE is the committed copy of GET /openapi.json. */
const DOCUMENT_FILE = resolve(__dirname, '..', '..', 'openapi.json');

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

it('the committed openapi.json is the document the gateway serves (npm run openapi:generate refreshes it)', async () => {
  const served = await harness.http.get('/openapi.json');
  expect(served.status).toBe(200);
  // The version is the package's at run time; the committed file is independent of it.
  const text = `${JSON.stringify({ ...served.body, info: { ...served.body.info, version: '0.1.0' } }, null, 2)}\n`;
  if (process.env['UPDATE_OPENAPI'] === '1') writeFileSync(DOCUMENT_FILE, text);
  expect(readFileSync(DOCUMENT_FILE, 'utf8'), 'the document drifted: run npm run openapi:generate').toBe(
    text,
  );
});
