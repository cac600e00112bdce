// A strategic merge patch for the simple cases overlays use: maps merge key by key (null deletes), lists of built-in
// kinds merge by their patch merge key (containers and env by name, volumeMounts by mountPath, ports by
// containerPort; the patch's items first, as kustomize orders them), every other list is replaced. Custom resources have no merge keys, so their lists are replaced,
// exactly as kustomize does for kinds it has no schema for.

/** MERGE_KEYS are the patch merge keys of the built-in list fields overlays patch. */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  env: 'name',
  envFrom: '',
  volumes: 'name',
  volumeMounts: 'mountPath',
  imagePullSecrets: 'name',
  ports: 'containerPort',
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isMap = (v: unknown): v is Record<string, Json> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** strategicMerge returns `target` with `patch` merged in; builtIn selects the built-in list semantics. */
export function strategicMerge(target: Json, patch: Json, builtIn: boolean, field = ''): Json {
  if (isMap(target) && isMap(patch)) {
    const out: Record<string, Json> = { ...target };
    for (const [key, value] of Object.entries(patch)) {
      if (key === '$patch') continue;
      if (value === null) delete out[key];
      else out[key] = key in out ? strategicMerge(out[key], value, builtIn, key) : value;
    }
    return out;
  }
  const mergeKey = MERGE_KEYS[field];
  if (builtIn && mergeKey && Array.isArray(target) && Array.isArray(patch)) {
    // kustomize's order: the patch's items first (merged into their targets), then the target's other items.
    const keyOf = (item: Json): Json | undefined => (isMap(item) ? item[mergeKey] : undefined);
    const merged = patch.map((item) => {
      const id = keyOf(item);
      const match = id === undefined ? undefined : target.find((t) => keyOf(t) === id);
      return match === undefined ? item : strategicMerge(match, item, builtIn, '');
    });
    const patched = new Set<Json | undefined>(patch.map(keyOf).filter((id) => id !== undefined));
    return [...merged, ...target.filter((t) => !patched.has(keyOf(t)))];
  }
  return patch;
}
