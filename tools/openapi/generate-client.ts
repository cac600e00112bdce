// `npm run openapi:generate`, second half: writes the e2e suite's typed client from the committed document.
import { writeFileSync } from 'node:fs';
import { CLIENT_TYPES_FILE, renderClientTypes } from './client-types';

void renderClientTypes().then((text) => {
  writeFileSync(CLIENT_TYPES_FILE, text);
  process.stdout.write(`openapi: wrote ${CLIENT_TYPES_FILE}\n`);
});
