import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readConnector } from '../connector';
import { kustomizeBuild } from '../kustomize/kustomize';
import { deployPaths, repoRoot } from '../paths';
import { eventTopicNames } from '../render/render';
import { clone, type Doc } from '../yaml';
import { checkK8s, type K8sContext, SECRETS } from './k8s-checks';
import { validateDocument, validateDocuments } from './schema-validation';

/* eslint-disable @typescript-eslint/no-explicit-any -- tests break rendered YAML in place */
const overlays = ['dev', 'prod'] as const;
const rendered: Record<string, Doc[]> = {};
const contextFor = (overlay: 'dev' | 'prod'): K8sContext => ({
  overlay,
  connector: readConnector(),
  topics: eventTopicNames(),
});

beforeAll(() => {
  for (const overlay of overlays) rendered[overlay] = kustomizeBuild(deployPaths.overlays[overlay]);
});

const doc = (docs: Doc[], kind: string, name: string): any =>
  docs.find((d) => d.kind === kind && (d.metadata as any).name === name);

/** broken returns the problems of a copy of the dev overlay after `mutate`. */
function broken(mutate: (docs: Doc[]) => void, overlay: 'dev' | 'prod' = 'dev'): string[] {
  const docs = clone(rendered[overlay]);
  mutate(docs);
  return checkK8s(docs, contextFor(overlay));
}

describe.each(overlays)('deploy/k8s/overlays/%s', (overlay) => {
  it('renders documents that are valid against the Kubernetes and CRD schemas', async () => {
    expect(rendered[overlay].length).toBeGreaterThan(50);
    expect(await validateDocuments(rendered[overlay])).toEqual([]);
  });

  it('meets every project rule', () => {
    expect(checkK8s(rendered[overlay], contextFor(overlay))).toEqual([]);
  });
});

describe('deploy/README.md', () => {
  it('documents every Secret the manifests may reference', () => {
    const readme = readFileSync(join(repoRoot, 'deploy', 'README.md'), 'utf8');
    expect(SECRETS.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
  });
});

describe('the Kubernetes checks reject a broken document', () => {
  it('schema: a wrong type in a Deployment, an unknown kind, a misspelt CRD field', async () => {
    const deployment = clone(doc(rendered.dev, 'Deployment', 'auth'));
    deployment.spec.replicas = 'two';
    expect((await validateDocument(deployment))[0]).toMatch(/^Deployment\/auth: .*replicas must be integer/);
    expect(
      await validateDocument({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }),
    ).toEqual([
      'Widget/w: unknown apiVersion/kind example.com/v1 Widget (no Kubernetes model and no CRD schema)',
    ]);
    const pool = clone(doc(rendered.dev, 'KafkaNodePool', 'dual-role'));
    pool.spec.replica = pool.spec.replicas;
    delete pool.spec.replicas;
    expect(await validateDocument(pool)).toEqual([
      "KafkaNodePool/dual-role: /spec must have required property 'replicas'",
      'KafkaNodePool/dual-role: /spec must NOT have additional properties (replica)',
    ]);
    const connect = clone(doc(rendered.dev, 'KafkaConnect', 'blog-connect'));
    connect.spec.build.plugins[0].artifacts[0].sha512sum = 'abc';
    expect((await validateDocument(connect))[0]).toMatch(/sha512sum must match pattern/);
  });

  it('a missing probe, limit or securityContext setting', () => {
    expect(
      broken((d) => delete doc(d, 'Deployment', 'post').spec.template.spec.containers[0].readinessProbe),
    ).toContain('Deployment/post: readinessProbe must be a grpc.health.v1 probe on port 50054');
    expect(
      broken(
        (d) => delete doc(d, 'Deployment', 'user').spec.template.spec.containers[0].resources.limits.memory,
      ),
    ).toContain('Deployment/user container user: resources.limits.memory is not set');
    expect(
      broken(
        (d) =>
          (doc(
            d,
            'Deployment',
            'blog',
          ).spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false),
      ),
    ).toContain('Deployment/blog container blog: readOnlyRootFilesystem must be true');
    expect(
      broken(
        (d) =>
          (doc(d, 'Deployment', 'visitor').spec.template.spec.securityContext.seccompProfile.type =
            'Unconfined'),
      ),
    ).toContain('Deployment/visitor: pod seccompProfile must be RuntimeDefault');
  });

  it('an app without its NetworkPolicy, a service open to everyone, a database open to the gateway', () => {
    expect(broken((d) => d.splice(d.indexOf(doc(d, 'NetworkPolicy', 'subscribe')), 1))).toContain(
      'NetworkPolicy/subscribe: missing',
    );
    expect(broken((d) => delete doc(d, 'NetworkPolicy', 'auth').spec.ingress[0].from)).toContain(
      'NetworkPolicy/auth: an ingress rule without "from" admits everyone',
    );
    const problems = broken((d) =>
      doc(d, 'NetworkPolicy', 'blog-db').spec.ingress[0].from.push({
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api-gateway' } },
      }),
    );
    expect(problems.some((p) => /the database admits .*api-gateway/.test(p))).toBe(true);
    expect(broken((d) => d.splice(d.indexOf(doc(d, 'NetworkPolicy', 'default-deny-all')), 1))).toContain(
      'NetworkPolicy: no default deny (podSelector {}, Ingress and Egress, no rules)',
    );
  });

  it('a committed Secret, an undocumented Secret reference and a non-headless gRPC Service', () => {
    expect(
      broken((d) =>
        d.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'oops', namespace: 'blog-dev' } }),
      ),
    ).toContain('Secret/oops: Secrets are never committed (deploy/README.md)');
    expect(
      broken(
        (d) =>
          (doc(d, 'Deployment', 'auth').spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.name =
            'mystery'),
      ),
    ).toContain('Secret mystery is referenced but not documented in SECRETS / deploy/README.md');
    expect(broken((d) => (doc(d, 'Service', 'post').spec.clusterIP = undefined))).toContain(
      'Service/post: must be headless (clusterIP: None) for client-side balancing',
    );
  });

  it('a connector that drifted from the JSON, a missing topic, PostgreSQL without logical WAL', () => {
    expect(
      broken((d) => (doc(d, 'KafkaConnector', 'debezium-outbox').spec.config['slot.name'] = 'x')),
    ).toContain('KafkaConnector/debezium-outbox: spec differs from deploy/connector/debezium-outbox.json');
    expect(
      broken((d) => d.splice(d.indexOf(doc(d, 'KafkaTopic', 'events.post.post.dlq')), 1)).some((p) =>
        p.startsWith('KafkaTopic: must be exactly'),
      ),
    ).toBe(true);
    expect(
      broken((d) => (doc(d, 'Cluster', 'blog-db').spec.postgresql.parameters.wal_level = 'replica')),
    ).toContain('Cluster/blog-db: wal_level must be logical');
    expect(
      broken((d) => doc(d, 'KafkaConnect', 'blog-connect').spec.template.connectContainer.env.pop()),
    ).toContain(
      'KafkaConnect/blog-connect: DEBEZIUM_PG_PASSWORD (used as ${env:DEBEZIUM_PG_PASSWORD} by the connector) is not in template.connectContainer.env',
    );
  });

  it('a prod image without a registry or with the dev tag, and a gateway without its autoscaler', () => {
    expect(
      broken(
        (d) => (doc(d, 'Deployment', 'auth').spec.template.spec.containers[0].image = 'blog/auth:dev'),
        'prod',
      ),
    ).toContain('Deployment/auth: prod pulls a released image from a registry, got blog/auth:dev');
    expect(
      broken(
        (d) => (doc(d, 'Deployment', 'auth').spec.template.spec.containers[0].image = 'blog/auth:latest'),
      ),
    ).toContain('Deployment/auth: image needs an explicit tag other than latest, got blog/auth:latest');
    expect(broken((d) => d.splice(d.indexOf(doc(d, 'HorizontalPodAutoscaler', 'api-gateway')), 1))).toContain(
      'HorizontalPodAutoscaler/api-gateway: missing or not scaling the gateway Deployment',
    );
  });
});
