// Where the deployment files live, relative to the repository root (this file is deploy/validate/src/paths.ts).
import { join, resolve } from 'node:path';

/** repoRoot is the workspace root. */
export const repoRoot = resolve(__dirname, '..', '..', '..');

/** deployPaths locates every file the checks read. */
export const deployPaths = {
  compose: join(repoRoot, 'deploy', 'docker-compose.yml'),
  envExample: join(repoRoot, 'deploy', '.env.example'),
  dockerfile: join(repoRoot, 'deploy', 'docker', 'Dockerfile'),
  dockerignore: join(repoRoot, '.dockerignore'),
  composeDir: join(repoRoot, 'deploy', 'compose'),
  bootstrapSql: join(repoRoot, 'deploy', 'compose', 'postgres', 'bootstrap.sql'),
  prometheus: join(repoRoot, 'deploy', 'compose', 'prometheus', 'prometheus.yml'),
  grafanaDatasources: join(
    repoRoot,
    'deploy',
    'compose',
    'grafana',
    'provisioning',
    'datasources',
    'datasources.yml',
  ),
  grafanaDashboards: join(repoRoot, 'deploy', 'compose', 'grafana', 'dashboards'),
  connector: join(repoRoot, 'deploy', 'connector', 'debezium-outbox.json'),
  k8s: join(repoRoot, 'deploy', 'k8s'),
  k8sGenerated: join(repoRoot, 'deploy', 'k8s', 'base', 'generated'),
  overlays: {
    dev: join(repoRoot, 'deploy', 'k8s', 'overlays', 'dev'),
    prod: join(repoRoot, 'deploy', 'k8s', 'overlays', 'prod'),
  },
} as const;
