import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AppConfigs, loadAppConfigs } from '../app-env/config-schema';
import { apps, services } from '../apps';
import { readConnector } from '../connector';
import { kustomizeBuild, kustomizeUnavailable } from '../kustomize/kubectl';
import { deployPaths, repoRoot } from '../paths';
import { eventTopicNames } from '../render/render';
import { clone, type Doc } from '../yaml';
import { hoursOf } from './identity-checks';
import { checkK8s, type K8sContext, SECRETS } from './k8s-checks';
import { validateDocument, validateDocuments } from './schema-validation';

/* eslint-disable @typescript-eslint/no-explicit-any -- tests break rendered YAML in place */
const overlays = ['dev', 'prod'] as const;
const rendered: Record<string, Doc[]> = {};
let configs: AppConfigs;
const contextFor = (overlay: 'dev' | 'prod'): K8sContext => ({
  overlay,
  connector: readConnector(),
  topics: eventTopicNames(),
  configs,
});

beforeAll(async () => {
  if (!kustomizeUnavailable)
    for (const overlay of overlays) rendered[overlay] = kustomizeBuild(deployPaths.overlays[overlay]);
  configs = await loadAppConfigs(apps.map((a) => a.name));
});

const doc = (docs: Doc[], kind: string, name: string): any =>
  docs.find((d) => d.kind === kind && (d.metadata as any).name === name);

/** broken returns the problems of a copy of the dev overlay after `mutate`. */
function broken(mutate: (docs: Doc[]) => void, overlay: 'dev' | 'prod' = 'dev'): string[] {
  const docs = clone(rendered[overlay]);
  mutate(docs);
  return checkK8s(docs, contextFor(overlay));
}

// Without kubectl nothing can be rendered: these skip, and kubectl.ts prints why.
describe.skipIf(kustomizeUnavailable).each(overlays)('deploy/k8s/overlays/%s', (overlay) => {
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
    // One row documents every service's database Secret: `blog-db-<service>` (the catalog's services).
    const perService = (name: string) =>
      services.some((s) => name === `blog-db-${s.name}`) && readme.includes('`blog-db-<service>`');
    expect(SECRETS.filter((name) => !readme.includes(`\`${name}\``) && !perService(name))).toEqual([]);
  });
});

describe.skipIf(kustomizeUnavailable)('the Kubernetes checks reject a broken document', () => {
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
    ).toContain(
      'Deployment/post: readinessProbe must GET /readyz on the admin port 9104 (the gRPC port requires a client certificate)',
    );
    expect(
      broken((d) => {
        doc(d, 'Deployment', 'blog').spec.template.spec.containers[0].startupProbe = { grpc: { port: 7053 } };
      }),
    ).toEqual([
      'Deployment/blog: a gRPC probe cannot pass: the kubelet presents no client certificate (mutual TLS)',
    ]);
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

  it("schema: cert-manager's resources against its CRDs (@kubernetes-models/cert-manager)", async () => {
    const cert = clone(doc(rendered.dev, 'Certificate', 'post'));
    cert.spec.usages = ['server auth', 'client-auth'];
    cert.spec.privateKey.algorithm = 'DSA';
    delete cert.spec.secretName;
    const problems = await validateDocument(cert);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^Certificate\/post: /);
    expect(problems[0]).toMatch(/usages\/1 must be equal to one of the allowed values/);
    expect(problems[0]).toMatch(/privateKey\/algorithm must be equal to one of the allowed values/);
    expect(problems[0]).toMatch(/spec must have required property secretName/);
    const issuer = clone(doc(rendered.dev, 'Issuer', 'blog-ca'));
    issuer.spec.ca = { secretName: 7 };
    expect((await validateDocument(issuer))[0]).toMatch(/^Issuer\/blog-ca: .*ca\/secretName must be string/);
  });

  it('a Certificate without its SPIFFE ID, long-lived, from another issuer, or not rotating its key', () => {
    expect(broken((d) => delete doc(d, 'Certificate', 'post').spec.uris)).toEqual([
      'Certificate/post: uris must be exactly [spiffe://blog.local/service/post] (the identity peers check), got []',
    ]);
    expect(
      broken((d) => (doc(d, 'Certificate', 'user').spec.uris = ['spiffe://blog.local/service/api-gateway'])),
    ).toEqual([
      'Certificate/user: uris must be exactly [spiffe://blog.local/service/user] (the identity peers check), got ["spiffe://blog.local/service/api-gateway"]',
      'Certificate: spiffe://blog.local/service/api-gateway is issued by api-gateway and user (one per identity)',
    ]);
    expect(
      broken((d) => {
        const spec = doc(d, 'Certificate', 'blog').spec;
        spec.duration = '8760h';
        spec.privateKey.rotationPolicy = 'Never';
        spec.usages = ['digital signature', 'server auth'];
        spec.issuerRef.name = 'blog-selfsigned';
      }),
    ).toEqual([
      'Certificate/blog: must be issued by the Issuer blog-ca, got {"group":"cert-manager.io","kind":"Issuer","name":"blog-selfsigned"}',
      'Certificate/blog: usages must include client auth (mutual TLS)',
      'Certificate/blog: privateKey.rotationPolicy must be Always (a new key at every renewal)',
      'Certificate/blog: duration must be at most 720h (short-lived, renewed automatically), got 8760h',
    ]);
    expect(broken((d) => (doc(d, 'Certificate', 'auth').spec.renewBefore = '720h'))).toEqual([
      'Certificate/auth: renewBefore must be set and shorter than duration, got 720h',
    ]);
    expect(broken((d) => d.splice(d.indexOf(doc(d, 'Certificate', 'api-gateway')), 1))).toEqual([
      "Certificate/api-gateway: missing (api-gateway's mTLS identity)",
      // Nothing writes the Secret the gateway mounts any more.
      'Secret api-gateway-tls is referenced but not documented in SECRETS / deploy/README.md',
    ]);
  });

  it('no CA, or a CA that changes its key on renewal', () => {
    expect(broken((d) => d.splice(d.indexOf(doc(d, 'Issuer', 'blog-ca')), 1))).toEqual([
      'Issuer/blog-ca: missing (the CA that signs every workload certificate)',
    ]);
    expect(
      broken((d) => {
        const ca = doc(d, 'Certificate', 'blog-ca').spec;
        ca.isCA = false;
        ca.privateKey.rotationPolicy = 'Always';
      }),
    ).toEqual([
      'Certificate/blog-ca: must be isCA (it signs the workload certificates)',
      "Certificate/blog-ca: privateKey.rotationPolicy must be Never (a renewal keeps the CA's key)",
    ]);
  });

  it("a Deployment without its certificate mount, with a copy that never renews, or with another app's", () => {
    const pod = (d: Doc[], name: string) => doc(d, 'Deployment', name).spec.template.spec;
    expect(
      broken((d) => {
        const c = pod(d, 'user').containers[0];
        c.volumeMounts = c.volumeMounts.filter((m: any) => m.name !== 'tls');
      }),
    ).toEqual([
      'Deployment/user: must mount the Secret user-tls (its certificate) at /var/run/secrets/blog/tls',
    ]);
    expect(
      broken((d) => {
        const mount = pod(d, 'visitor').containers[0].volumeMounts.find((m: any) => m.name === 'tls');
        mount.readOnly = false;
        mount.subPath = 'tls.crt';
      }),
    ).toEqual([
      'Deployment/visitor: the mount of visitor-tls must be readOnly',
      'Deployment/visitor: the mount of visitor-tls must not use subPath (renewals would not reach the pod)',
    ]);
    expect(
      broken(
        (d) =>
          (pod(d, 'subscribe').volumes.find((v: any) => v.name === 'tls').secret.secretName = 'auth-tls'),
      ),
    ).toEqual([
      'Deployment/subscribe: must mount the Secret subscribe-tls (its certificate) at /var/run/secrets/blog/tls',
      'Deployment/subscribe: mounts auth-tls, the identity of auth (each identity belongs to one app)',
    ]);
    expect(broken((d) => (doc(d, 'ConfigMap', 'api-gateway').data.TLS_CERT_FILE = '/tmp/tls.crt'))).toEqual([
      'Deployment/api-gateway: TLS_CERT_FILE must be /var/run/secrets/blog/tls/tls.crt, got /tmp/tls.crt',
    ]);
  });

  it('reads cert-manager durations', () => {
    expect([hoursOf('720h'), hoursOf('2160h0m0s'), hoursOf('90m'), hoursOf('1h30m')]).toEqual([
      720, 2160, 1.5, 1.5,
    ]);
    expect([hoursOf('30d'), hoursOf(''), hoursOf(720)]).toEqual([undefined, undefined, undefined]);
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

  it('no trace viewer, an app that exports nowhere, or a policy that blocks its spans', () => {
    expect(broken((d) => d.splice(d.indexOf(doc(d, 'Deployment', 'zipkin')), 1))).toContain(
      'Deployment/zipkin: missing (the trace viewer)',
    );
    expect(broken((d) => delete doc(d, 'ConfigMap', 'user').data.OTEL_TRACES_EXPORTER)).toContain(
      'Deployment/user: OTEL_TRACES_EXPORTER must be zipkin (spans to the viewer)',
    );
    expect(
      broken((d) => {
        const egress = doc(d, 'NetworkPolicy', 'blog').spec.egress as { ports?: { port: number }[] }[];
        egress.splice(
          egress.findIndex((r) => r.ports?.some((p) => p.port === 9411)),
          1,
        );
      }),
    ).toContain('NetworkPolicy/blog: no egress to zipkin:9411 (its spans)');
    expect(broken((d) => doc(d, 'NetworkPolicy', 'zipkin').spec.ingress[0].from.pop())).toContain(
      'NetworkPolicy/zipkin: does not admit api-gateway on 9411',
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

  it('a Connect worker without the connector watchdog, or a watchdog that may do more than restart it', () => {
    expect(broken((d) => d.splice(d.indexOf(doc(d, 'Deployment', 'connect-watchdog')), 1))).toEqual([
      'Deployment/connect-watchdog: missing (the connector liveness, see deploy/connector/README.md)',
    ]);
    expect(
      broken((d) => {
        const c = doc(d, 'Deployment', 'connect-watchdog').spec.template.spec.containers[0];
        c.env = c.env.filter((e: any) => e.name !== 'DEBEZIUM_PG_PASSWORD');
        doc(d, 'Role', 'connect-watchdog').rules.push({
          apiGroups: [''],
          resources: ['secrets'],
          verbs: ['get'],
        });
      }),
    ).toEqual([
      'Deployment/connect-watchdog: DEBEZIUM_PG_PASSWORD is not set',
      "Role/connect-watchdog: may only name Connect's pods",
    ]);
    expect(broken((d) => (doc(d, 'KafkaConnect', 'blog-connect').spec.replicas = 2))).toEqual([
      'Deployment/connect-watchdog: CONNECT_PODS must name every Connect pod: blog-connect-connect-0,blog-connect-connect-1',
      'Role/connect-watchdog: its ServiceAccount must be allowed to delete blog-connect-connect-0, blog-connect-connect-1',
    ]);
    expect(broken((d) => (doc(d, 'Role', 'connect-watchdog').rules[0].resourceNames = ['x']))).toEqual([
      'Role/connect-watchdog: its ServiceAccount must be allowed to delete blog-connect-connect-0',
    ]);
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

  const container = (d: Doc[], name: string) => doc(d, 'Deployment', name).spec.template.spec.containers[0];
  const config = (d: Doc[], name: string) => doc(d, 'ConfigMap', name).data;
  const withoutEnv = (d: Doc[], app: string, name: string) => {
    const c = container(d, app);
    c.env = c.env.filter((e: any) => e.name !== name);
  };

  it("an app's variables against its own config schema, and drift when the app requires a new one", () => {
    const problems = broken((d) => {
      config(d, 'visitor').VIEW_BATCH_DELAY_MS = '5000';
      config(d, 'blog').BLOG_FEATURE = 'on';
      delete config(d, 'post').KAFKA_BROKERS;
    });
    expect(
      problems.some((p) =>
        p.startsWith('Deployment/visitor: VIEW_BATCH_DELAY_MS is invalid for apps/visitor/src/config.ts'),
      ),
    ).toBe(true);
    expect(problems).toContain(
      'Deployment/blog: BLOG_FEATURE is set, but apps/blog/src/config.ts does not read it',
    );
    expect(problems).toContain(
      'Deployment/post: KAFKA_BROKERS is required by apps/post/src/config.ts but not set',
    );

    const visitor = configs.visitor;
    const schema = visitor.schema.safeExtend({ VISITOR_NEW_SETTING: visitor.schema.shape.KAFKA_BROKERS });
    const drifted = {
      ...configs,
      visitor: { ...visitor, schema, required: [...visitor.required, 'VISITOR_NEW_SETTING'] },
    };
    for (const overlay of overlays) {
      expect(checkK8s(rendered[overlay], { ...contextFor(overlay), configs: drifted })).toEqual([
        'Deployment/visitor: VISITOR_NEW_SETTING is required by apps/visitor/src/config.ts but not set',
      ]);
    }
  });

  it("auth's signing keys: required in production, from a Secret key, not through envFrom or a literal", () => {
    const missing = broken((d) => withoutEnv(d, 'auth', 'AUTH_JWT_PRIVATE_KEYS'));
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatch(
      /^Deployment\/auth: AUTH_JWT_PRIVATE_KEYS is required by apps\/auth\/src\/config\.ts but not set \(is required in production/,
    );
    // A whole-Secret envFrom hides which keys exist: it does not count as setting the variable.
    const viaEnvFrom = broken((d) => {
      withoutEnv(d, 'auth', 'AUTH_JWT_PRIVATE_KEYS');
      container(d, 'auth').envFrom.push({ secretRef: { name: 'blog-auth-jwt' } });
    });
    expect(viaEnvFrom).toEqual(missing);
    const literal = broken((d) => {
      withoutEnv(d, 'auth', 'AUTH_JWT_PRIVATE_KEYS');
      config(d, 'auth').AUTH_JWT_PRIVATE_KEYS = '[{"kty":"OKP","crv":"Ed25519","x":"a","d":"b","kid":"k"}]';
    });
    expect(literal).toContain(
      'Deployment/auth: AUTH_JWT_PRIVATE_KEYS must come from a Secret (secretKeyRef), not a literal',
    );
    expect(broken((d) => (config(d, 'auth').NODE_ENV = 'development'))).toEqual([
      'Deployment/auth: NODE_ENV must be production (auth then refuses dev keys)',
    ]);
  });

  it('a gateway with gRPC, without a trusted proxy or salt, on other claims than auth, probed elsewhere', () => {
    const problems = broken((d) => {
      container(d, 'api-gateway').ports.push({ name: 'grpc', containerPort: 7050 });
      config(d, 'api-gateway').GRPC_PORT = '7050';
      config(d, 'api-gateway').TRUST_PROXY = 'false';
      config(d, 'api-gateway').JWT_AUDIENCE = 'someone';
      withoutEnv(d, 'api-gateway', 'VIEWER_HASH_SALT');
      container(d, 'api-gateway').readinessProbe.httpGet.path = '/healthz';
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'Deployment/api-gateway: declares a port other than http 8080 and admin 9100 (it serves no gRPC)',
        'Deployment/api-gateway: GRPC_PORT is set, but api-gateway does not use it (the gateway serves no gRPC)',
        'Deployment/api-gateway: TRUST_PROXY must be true behind an ingress (rate limits and view hashing need the client address)',
        "overlay: the gateway's JWT_AUDIENCE=someone differs from auth's AUTH_JWT_AUDIENCE=blog-api (every token would fail its aud check)",
        'Deployment/api-gateway: VIEWER_HASH_SALT is not set',
        'Deployment/api-gateway: readinessProbe must GET /readyz on port 9100 (admin) or 8080',
      ]),
    );
    expect(problems).toHaveLength(6);
  });

  it('a prod gateway without Redis, or unable to reach it', () => {
    expect(broken((d) => withoutEnv(d, 'api-gateway', 'REDIS_URL'), 'prod')).toEqual([
      'Deployment/api-gateway: prod needs REDIS_URL, so the replicas share rate-limit counters',
    ]);
    expect(
      broken((d) => {
        const egress = doc(d, 'NetworkPolicy', 'api-gateway').spec.egress;
        egress.splice(egress.length - 1, 1);
      }, 'prod'),
    ).toEqual(['NetworkPolicy/api-gateway: REDIS_URL is set but no egress rule reaches port 6379']);
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
