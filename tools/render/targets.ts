// Every file rendered from the catalog, and how: whole files from a template, or marked regions of hand-written
// files (regions.ts). `npm run render` writes them; render.spec.ts fails when a committed one differs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { services } from '@blog/catalog';
import { fillRegions, fillTemplate, type RegionRenderer } from './regions';
import * as v from './views';

/** RenderTarget is one rendered file: its path from the repository root and its content given the current one. */
export interface RenderTarget {
  readonly path: string;
  readonly render: (current: string | undefined, root: string) => string;
}

const regions = (path: string, renderers: Record<string, RegionRenderer>): RenderTarget => ({
  path,
  render: (current) => {
    if (current === undefined)
      throw new Error(`${path} is missing: it holds hand-written text around its regions`);
    return fillRegions(current, renderers, path);
  },
});

/** SERVICE_TEMPLATE is the one Kubernetes manifest template of every domain service. */
export const SERVICE_TEMPLATE = 'deploy/k8s/templates/service.yaml';

const serviceManifest = (name: string): RenderTarget => ({
  path: `deploy/k8s/base/apps/${name}.yaml`,
  render: (_current, root) => {
    const template = readFileSync(join(root, SERVICE_TEMPLATE), 'utf8');
    const body = template.slice(template.indexOf('# template:end\n') + '# template:end\n'.length);
    const service = services.find((s) => s.name === name);
    if (!service) throw new Error(`no catalog entry ${name}`);
    return fillTemplate(body, v.k8sServiceValues(service), SERVICE_TEMPLATE);
  },
});

const e2eProject: RenderTarget = {
  path: 'e2e/project.json',
  render: (current) => {
    if (current === undefined) throw new Error('e2e/project.json is missing');
    // Written the way prettier prints it (one line while `  "implicitDependencies": [...],` fits, else one name a
    // line), so `npm run format:check` and the drift test agree when a service is added.
    const names = v.e2eImplicitDependencies().map((name) => JSON.stringify(name));
    const one = `"implicitDependencies": [${names.join(', ')}]`;
    const deps =
      2 + one.length + 1 <= v.PRETTIER_PRINT_WIDTH
        ? one
        : `"implicitDependencies": [\n${names.map((name) => `    ${name}`).join(',\n')}\n  ]`;
    return current.replace(/"implicitDependencies": \[[^\]]*\]/, deps);
  },
};

/** renderTargets lists every file derived from the catalog. */
export const renderTargets = (): RenderTarget[] => [
  regions('deploy/docker-compose.yml', {
    'start-order': v.composeStartOrder,
    'db-passwords': v.composeDbPasswords,
    'kafka-users': v.composeKafkaUsers,
    services: v.composeServices,
    'gateway-depends': v.composeGatewayDepends,
    'gateway-addrs': v.composeServiceAddrs,
    'console-addrs': v.composeConsoleAddrs,
    'certs-job-volumes': v.composeCertsJobVolumes,
    'certs-volumes': v.composeCertsVolumes,
  }),
  regions('deploy/compose/prometheus/prometheus.yml', { jobs: v.prometheusJobs }),
  regions('deploy/compose/postgres/bootstrap.sql', { schemas: v.sqlSchemas, publication: v.sqlPublication }),
  regions('deploy/.env.example', {
    'db-passwords': v.envExampleDbPasswords,
    'kafka-passwords': v.envExampleKafkaPasswords,
  }),
  regions('deploy/docker/Dockerfile', {
    'app-manifests': v.dockerfileManifests,
    'build-apps': v.dockerfileBuild,
    'app-check': v.dockerfileAppCheck,
  }),
  regions('deploy/k8s/overlays/dev/create-dev-secrets.sh', { 'db-secrets': v.devSecretsLoop }),
  regions('deploy/k8s/base/kustomization.yaml', { apps: v.kustomizeAppResources }),
  regions('deploy/k8s/overlays/dev/kustomization.yaml', { images: v.devImages }),
  regions('deploy/k8s/overlays/prod/kustomization.yaml', { images: v.prodImages }),
  regions('deploy/k8s/overlays/prod/patches/service-resources.yaml', { heavy: v.prodHeavyResources }),
  regions('deploy/k8s/base/postgres/cluster.yaml', { roles: v.cnpgRoles }),
  regions('deploy/k8s/base/ops/console.yaml', { addrs: v.k8sConsoleEnv, egress: v.k8sConsoleEgress }),
  regions('deploy/k8s/base/apps/api-gateway.yaml', {
    addrs: v.k8sGatewayAddrs,
    egress: () => v.k8sEgressTo('api-gateway'),
  }),
  ...services.map((s) => serviceManifest(s.name)),
  regions('eslint.config.mjs', { scopes: v.eslintScopes }),
  e2eProject,
];
