// One flat config for the workspace; every project runs `eslint .` from its own folder.
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    ignores: ['**/dist', '**/node_modules', 'libs/proto/src/gen', '**/vitest*.mts', '.stack', '.nx'],
  },
  {
    files: ['**/*.ts'],
    rules: {
      // Module boundaries (see README "Layout"): apps never import apps, the framework never imports an app,
      // generated contracts import nothing of ours, and each app sees only its own scope plus shared libraries.
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          banTransitiveDependencies: true,
          allow: [],
          depConstraints: [
            // Apps use type:testing from their tests only (a devDependency; specs and src/testing are not built).
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:framework', 'type:proto', 'type:util', 'type:testing'],
            },
            { sourceTag: 'type:framework', onlyDependOnLibsWithTags: ['type:proto', 'type:util'] },
            {
              sourceTag: 'type:testing',
              onlyDependOnLibsWithTags: ['type:framework', 'type:proto', 'type:util'],
            },
            { sourceTag: 'type:proto', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:proto'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            // render:begin scopes (npm run render, from libs/catalog)
            {
              sourceTag: 'scope:api-gateway',
              onlyDependOnLibsWithTags: ['scope:api-gateway', 'scope:shared'],
            },
            { sourceTag: 'scope:auth', onlyDependOnLibsWithTags: ['scope:auth', 'scope:shared'] },
            { sourceTag: 'scope:user', onlyDependOnLibsWithTags: ['scope:user', 'scope:shared'] },
            { sourceTag: 'scope:blog', onlyDependOnLibsWithTags: ['scope:blog', 'scope:shared'] },
            { sourceTag: 'scope:post', onlyDependOnLibsWithTags: ['scope:post', 'scope:shared'] },
            { sourceTag: 'scope:visitor', onlyDependOnLibsWithTags: ['scope:visitor', 'scope:shared'] },
            { sourceTag: 'scope:subscribe', onlyDependOnLibsWithTags: ['scope:subscribe', 'scope:shared'] },
            // render:end scopes
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Only the Kafka adapters may talk to a Kafka client: everything else goes through the Broker interface.
    files: ['**/*.ts'],
    // libs/ops/src/kafka: the operations' watermark reader (the framework's admin sums partitions; see its header).
    ignores: ['libs/framework/src/broker/kafka/**', 'libs/ops/src/kafka/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'kafkajs', message: 'Use the Broker interface (libs/framework/src/broker).' },
            { name: '@platformatic/kafka', message: 'Use the Broker interface (libs/framework/src/broker).' },
          ],
        },
      ],
    },
  },
  {
    // Test support (@blog/testing) is for tests only: production code of an app must not import it.
    files: ['apps/**/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'kafkajs', message: 'Use the Broker interface (libs/framework/src/broker).' },
            { name: '@platformatic/kafka', message: 'Use the Broker interface (libs/framework/src/broker).' },
            {
              name: '@blog/testing',
              message: 'Test support: import it from *.spec.ts or src/testing/ only.',
            },
          ],
        },
      ],
    },
  },
  prettier,
];
