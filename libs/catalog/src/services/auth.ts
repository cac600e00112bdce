// auth: accounts, credentials and tokens.
import { defineService } from '../entry';

/** auth is the catalog entry of the auth service. */
export const auth = defineService({
  name: 'auth',
  summary: 'Accounts, credentials and tokens.',
  schema: 'auth',
  grpcPort: 7051,
  adminPort: 9101,
  consumes: [
    'events.user.profile',
    'events.blog.blog',
    'events.subscribe.subscription',
    'events.visitor.stats',
  ],
  callers: ['api-gateway'],
  deploy: {
    heavy: true,
    compose: [
      {
        name: 'NODE_ENV',
        value: '${AUTH_NODE_ENV:-development}',
        comment: [
          'Signing keys: AUTH_JWT_PRIVATE_KEYS from deploy/.env when given (a JSON array of private Ed25519 JWKs, see',
          'deploy/README.md). Otherwise auth generates DEV-ONLY keys once into its volume, so tokens survive restarts;',
          'that needs NODE_ENV other than production (AUTH_NODE_ENV=production makes the keys mandatory).',
        ].join('\n'),
      },
      { name: 'AUTH_JWT_PRIVATE_KEYS', value: '${AUTH_JWT_PRIVATE_KEYS:-}' },
      { name: 'AUTH_DEV_KEYS_DIR', value: '/var/lib/blog/auth-keys' },
      {
        name: 'AUTH_JWT_ISSUER',
        value: '${JWT_ISSUER:-blog-auth}',
        comment: 'One setting for both ends: auth puts these into tokens, the gateway requires them.',
      },
      { name: 'AUTH_JWT_AUDIENCE', value: '${JWT_AUDIENCE:-blog-api}' },
    ],
    composeVolumes: [
      {
        mount: 'auth-keys:/var/lib/blog',
        comment:
          "/var/lib/blog is the image's folder owned by uid 65532 (deploy/docker/Dockerfile), so a new volume is too.",
      },
    ],
    k8s: [
      {
        name: 'AUTH_JWT_ISSUER',
        value: 'blog-auth',
        comment:
          "Claims of access tokens: the gateway's JWT_ISSUER and JWT_AUDIENCE must be the same (deploy/validate checks).",
      },
      { name: 'AUTH_JWT_AUDIENCE', value: 'blog-api' },
      { name: 'AUTH_ACCESS_TOKEN_TTL_SECONDS', value: '900' },
      { name: 'AUTH_REFRESH_TOKEN_TTL_DAYS', value: '30' },
      {
        name: 'AUTH_PASSWORD_HASH_CONCURRENCY',
        value: '2',
        comment:
          'argon2 hashes at once (about the CPUs of the pod) and waiting; beyond, sign-up and login answer 429 at once.',
      },
      { name: 'AUTH_PASSWORD_HASH_QUEUE', value: '16' },
    ],
    k8sSecrets: [
      {
        name: 'AUTH_JWT_PRIVATE_KEYS',
        secret: 'blog-auth-jwt',
        key: 'AUTH_JWT_PRIVATE_KEYS',
        comment:
          'A JSON array of private Ed25519 JWKs with kid, the first one signing (deploy/README.md, "Secrets").',
      },
    ],
    k8sNote: [
      'NODE_ENV=production: the signing keys must come from AUTH_JWT_PRIVATE_KEYS',
      '(Secret blog-auth-jwt, see deploy/README.md); auth refuses to start without them and never makes dev keys here.',
    ],
  },
});
