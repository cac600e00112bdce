// A minimal kustomize for the subset deploy/k8s uses, so `npm test` can render every overlay without a binary:
// resources (files and directories), namespace, images, patches (strategic merge, or JSON 6902 with a target).
// Any other kustomization field is refused rather than ignored. kustomize.spec.ts compares the output with
// `kubectl kustomize` (the real thing, v5) wherever kubectl is installed.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Doc, parseYamlDocs, readYaml } from '../yaml';
import { applyJsonPatch, type PatchOp } from './json-patch';
import { strategicMerge } from './strategic-merge';

interface PatchTarget {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  labelSelector?: string;
}

interface Kustomization {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  resources?: string[];
  patches?: { path?: string; patch?: string; target?: PatchTarget }[];
  images?: { name: string; newName?: string; newTag?: string; digest?: string }[];
}

const SUPPORTED = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'patches', 'images']);

/** CLUSTER_SCOPED kinds keep no namespace (the ones a kustomization here could contain). */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'StorageClass',
  'PersistentVolume',
  'PriorityClass',
]);

/** WORKLOADS are the kinds whose pod templates the images transformer rewrites. */
const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

function readKustomization(dir: string): Kustomization {
  const file = ['kustomization.yaml', 'kustomization.yml', 'Kustomization']
    .map((f) => join(dir, f))
    .find(existsSync);
  if (!file) throw new Error(`${dir}: no kustomization.yaml`);
  const k = readYaml(file) as Kustomization;
  const unsupported = Object.keys(k).filter((key) => !SUPPORTED.has(key));
  if (unsupported.length > 0)
    throw new Error(`${file}: fields not supported by deploy/validate's renderer: ${unsupported.join(', ')}`);
  return k;
}

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');
const versionOf = (apiVersion: string) => apiVersion.split('/').at(-1) as string;
/** isBuiltIn tells Kubernetes' own kinds (strategic merge keys apply) from custom resources. */
const isBuiltIn = (doc: Doc) => {
  const group = groupOf(String(doc.apiVersion));
  return !group.includes('.') || group.endsWith('.k8s.io');
};
const meta = (doc: Doc) =>
  (doc.metadata ?? {}) as { name?: string; namespace?: string; labels?: Record<string, string> };

function matches(doc: Doc, target: PatchTarget): boolean {
  const apiVersion = String(doc.apiVersion);
  if (target.kind && target.kind !== doc.kind) return false;
  if (target.name && target.name !== meta(doc).name) return false;
  if (target.group !== undefined && target.group !== groupOf(apiVersion)) return false;
  if (target.version && target.version !== versionOf(apiVersion)) return false;
  if (target.labelSelector) {
    const labels = meta(doc).labels ?? {};
    return target.labelSelector.split(',').every((term) => {
      const [key, value] = term.split('=').map((s) => s.trim());
      return labels[key] === value;
    });
  }
  return true;
}

function applyPatch(docs: Doc[], body: unknown, target: PatchTarget | undefined, origin: string): Doc[] {
  if (Array.isArray(body)) {
    if (!target) throw new Error(`${origin}: a JSON 6902 patch needs a target`);
    const hits = docs.filter((d) => matches(d, target));
    if (hits.length === 0) throw new Error(`${origin}: target ${JSON.stringify(target)} matches no resource`);
    return docs.map((d) => (matches(d, target) ? applyJsonPatch(d, body as PatchOp[]) : d));
  }
  const patch = body as Doc;
  const selector: PatchTarget = target ?? { kind: String(patch.kind), name: meta(patch).name };
  const hits = docs.filter(
    (d) => matches(d, selector) && (target !== undefined || d.apiVersion === patch.apiVersion),
  );
  if (hits.length === 0) throw new Error(`${origin}: strategic merge patch matches no resource`);
  return docs.map((d) => {
    if (!hits.includes(d)) return d;
    // A patch applied through a target keeps the target's identity even if the patch body names another resource.
    const { metadata: patchMeta, ...rest } = patch;
    const merged = strategicMerge(
      d as never,
      { ...rest, metadata: { ...(patchMeta as object), name: meta(d).name } } as never,
      isBuiltIn(d),
    );
    return merged as unknown as Doc;
  });
}

function setImages(doc: Doc, images: NonNullable<Kustomization['images']>): Doc {
  if (!WORKLOADS.has(String(doc.kind))) return doc;
  const copy = structuredClone(doc);
  const podSpec = (copy.spec as { template?: { spec?: Record<string, unknown> } })?.template?.spec ?? {};
  for (const list of ['containers', 'initContainers'] as const) {
    for (const container of (podSpec[list] ?? []) as { image?: string }[]) {
      const current = container.image ?? '';
      const name = current.replace(/@.*$/, '').replace(/:[^/:]*$/, '');
      const rule = images.find((i) => i.name === name);
      if (!rule) continue;
      const tag = rule.digest
        ? `@${rule.digest}`
        : rule.newTag
          ? `:${rule.newTag}`
          : current.slice(name.length);
      container.image = `${rule.newName ?? name}${tag}`;
    }
  }
  return copy;
}

/** kustomizeBuild renders a kustomization directory into its list of resources. */
export function kustomizeBuild(dir: string): Doc[] {
  const root = resolve(dir);
  const k = readKustomization(root);
  let docs: Doc[] = (k.resources ?? []).flatMap((entry) => {
    const path = resolve(root, entry);
    if (!existsSync(path)) throw new Error(`${root}: resource ${entry} does not exist`);
    return statSync(path).isDirectory()
      ? kustomizeBuild(path)
      : parseYamlDocs(readFileSync(path, 'utf8'), path);
  });
  for (const p of k.patches ?? []) {
    const origin = `${root}: patch ${p.path ?? '(inline)'}`;
    const source = p.path ? readFileSync(resolve(root, p.path), 'utf8') : p.patch;
    if (!source) throw new Error(`${origin}: neither path nor patch`);
    const bodies = parseYamlDocs(source, origin) as unknown[];
    // A file holding a top-level list is one JSON 6902 patch; parseYamlDocs returns it as the single document.
    for (const body of bodies) docs = applyPatch(docs, body, p.target, origin);
  }
  if (k.namespace) {
    const ns = k.namespace;
    docs = docs.map((d) =>
      CLUSTER_SCOPED.has(String(d.kind))
        ? d
        : withSubjectNamespace({ ...d, metadata: { ...meta(d), namespace: ns } }, ns),
    );
  }
  if (k.images) docs = docs.map((d) => setImages(d, k.images ?? []));
  const seen = new Set<string>();
  for (const d of docs) {
    const id = `${d.apiVersion}/${d.kind}/${meta(d).namespace ?? ''}/${meta(d).name}`;
    if (seen.has(id)) throw new Error(`${root}: resource ${id} is defined twice`);
    seen.add(id);
  }
  return docs;
}

/**
 * withSubjectNamespace: kustomize's namespace transformer also gives a RoleBinding's ServiceAccount subjects that
 * name no namespace the overlay's namespace (the only subject form the manifests here use).
 */
function withSubjectNamespace(doc: Doc, ns: string): Doc {
  if (doc.kind !== 'RoleBinding' || !Array.isArray(doc['subjects'])) return doc;
  const subjects = (doc['subjects'] as { kind?: string; namespace?: string }[]).map((subject) =>
    subject.kind === 'ServiceAccount' && !subject.namespace ? { ...subject, namespace: ns } : subject,
  );
  return { ...doc, subjects };
}
