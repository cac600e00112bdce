// Drift of the typed client fails the build: the committed e2e/src/support/rest/openapi.gen.ts must be exactly what
// openapi-typescript makes of the committed document (itself checked against the served one by the gateway's tests).
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { CLIENT_TYPES_FILE, renderClientTypes } from './client-types';

it('the typed client is generated from the current document (npm run openapi:generate refreshes it)', async () => {
  expect(readFileSync(CLIENT_TYPES_FILE, 'utf8'), 'the client drifted: run npm run openapi:generate').toBe(
    await renderClientTypes(),
  );
}, 30_000);
