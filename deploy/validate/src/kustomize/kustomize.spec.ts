import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deployPaths } from '../paths';
import { type Doc, parseYamlDocs } from '../yaml';
import { applyJsonPatch } from './json-patch';
import { kustomizeBuild } from './kustomize';
import { strategicMerge } from './strategic-merge';

const kubectl = (() => {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const byId = (docs: Doc[]) =>
  Object.fromEntries(
    docs.map((d) => {
      const m = d.metadata as { name: string; namespace?: string };
      return [`${d.kind}/${m.namespace ?? ''}/${m.name}`, d];
    }),
  );

/** fixture writes files into a fresh directory and returns its path. */
function fixture(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kustomize-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {tier: front}}
spec:
  replicas: 2
  template:
    spec:
      containers:
        - {name: web, image: blog/web, env: [{name: A, value: '1'}]}
        - {name: side, image: other:1}
`;

describe('the minimal kustomize renderer', () => {
  it.skipIf(!kubectl).each(['dev', 'prod'] as const)(
    'renders overlay %s exactly as `kubectl kustomize` does',
    (env) => {
      const real = parseYamlDocs(
        execFileSync('kubectl', ['kustomize', deployPaths.overlays[env]], { encoding: 'utf8' }),
      );
      expect(byId(kustomizeBuild(deployPaths.overlays[env]))).toEqual(byId(real));
    },
  );

  it('applies namespace, images, JSON 6902 and strategic merge patches', () => {
    const dir = fixture({
      'deploy.yaml': deployment,
      'kustomization.yaml': `namespace: ns
resources: [deploy.yaml]
images: [{name: blog/web, newName: reg/web, newTag: '1.2'}]
patches:
  - target: {kind: Deployment, labelSelector: tier=front}
    patch: |-
      - {op: replace, path: /spec/replicas, value: 5}
  - patch: |-
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        template:
          spec:
            containers:
              - {name: web, env: [{name: B, value: '2'}]}
`,
    });
    const [doc] = kustomizeBuild(dir) as {
      metadata: { namespace: string };
      spec: { replicas: number; template: { spec: { containers: unknown[] } } };
    }[];
    expect(doc.metadata.namespace).toBe('ns');
    expect(doc.spec.replicas).toBe(5);
    expect(doc.spec.template.spec.containers).toEqual([
      {
        name: 'web',
        image: 'reg/web:1.2',
        // kubectl kustomize puts the patch's new variable first.
        env: [
          { name: 'B', value: '2' },
          { name: 'A', value: '1' },
        ],
      },
      { name: 'side', image: 'other:1' },
    ]);
  });

  it('refuses what it does not implement, patches that match nothing and duplicate resources', () => {
    expect(() =>
      kustomizeBuild(
        fixture({
          'd.yaml': deployment,
          'kustomization.yaml': 'resources: [d.yaml]\ncommonLabels: {a: b}\n',
        }),
      ),
    ).toThrow(/not supported.*commonLabels/);
    expect(() =>
      kustomizeBuild(
        fixture({
          'd.yaml': deployment,
          'kustomization.yaml':
            "resources: [d.yaml]\npatches:\n  - target: {kind: Service}\n    patch: '[{op: remove, path: /spec}]'\n",
        }),
      ),
    ).toThrow(/matches no resource/);
    expect(() =>
      kustomizeBuild(
        fixture({ 'd.yaml': deployment, 'kustomization.yaml': 'resources: [d.yaml, d.yaml]\n' }),
      ),
    ).toThrow(/defined twice/);
  });

  it('merges built-in lists by key (patch items first, as kustomize) but replaces custom resource lists', () => {
    const env = (...names: string[]) => names.map((name) => ({ name, value: name.toLowerCase() }));
    const target = { spec: { containers: [{ name: 'a', x: 1, env: env('A', 'B', 'E') }] } };
    const patch = {
      spec: {
        containers: [{ name: 'a', y: 2, env: [...env('C'), { name: 'B', value: 'b2' }, ...env('D')] }],
      },
    };
    // `kubectl kustomize` (v5) gives this order for the same patch: C, B (patched), D, then A and E.
    expect(strategicMerge(target, patch, true)).toEqual({
      spec: {
        containers: [
          { name: 'a', x: 1, y: 2, env: [...env('C'), { name: 'B', value: 'b2' }, ...env('D', 'A', 'E')] },
        ],
      },
    });
    expect(strategicMerge(target, patch, false)).toEqual(patch);
    expect(strategicMerge({ a: 1, b: 2 }, { b: null }, true)).toEqual({ a: 1 });
  });

  it('applies JSON patches and fails on a missing path', () => {
    expect(
      applyJsonPatch({ a: [1, 2] }, [
        { op: 'add', path: '/a/-', value: 3 },
        { op: 'remove', path: '/a/0' },
      ]),
    ).toEqual({ a: [2, 3] });
    expect(applyJsonPatch({ 'x/y': 1 }, [{ op: 'replace', path: '/x~1y', value: 2 }])).toEqual({ 'x/y': 2 });
    expect(() => applyJsonPatch({ a: {} }, [{ op: 'replace', path: '/a/b', value: 1 }])).toThrow(
      /no such path/,
    );
  });
});
