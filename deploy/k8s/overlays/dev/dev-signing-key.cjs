// Prints a DEV-ONLY value for auth's AUTH_JWT_PRIVATE_KEYS: a JSON array holding one new private Ed25519 JWK whose
// kid starts with "dev-only-". create-dev-secrets.sh pipes it into the Secret blog-auth-jwt; it is never written to
// disk. Plain Node.js (16 or later), no dependencies. Production keys: deploy/README.md, "Secrets".
'use strict';
const { generateKeyPairSync, randomUUID } = require('node:crypto');

const { privateKey } = generateKeyPairSync('ed25519');
const jwk = privateKey.export({ format: 'jwk' }); // { kty: 'OKP', crv: 'Ed25519', x, d }
process.stdout.write(JSON.stringify([{ ...jwk, kid: `dev-only-${randomUUID()}` }]));
