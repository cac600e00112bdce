// Compose variable interpolation (compose-spec "Interpolation"): what `docker compose` does to every string value
// before it validates the file, so the schema check sees the same document Docker would.

/** Reference is one `${NAME...}` use, with its default when it has one. */
export interface Reference {
  name: string;
  fallback?: string;
}

/** InterpolationResult is the interpolated value and every variable it referenced. */
export interface InterpolationResult<T> {
  value: T;
  references: Reference[];
  errors: string[];
}

const PATTERN =
  /\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^{}]|\{[^{}]*\})*))?\}|([A-Za-z_][A-Za-z0-9_]*)|(\{[^}]*\}?))/g;

/** interpolateString resolves `$$`, `$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:?err}`, `${NAME:+alt}`. */
export function interpolateString(
  input: string,
  env: Record<string, string | undefined>,
  path = '',
): InterpolationResult<string> {
  const references: Reference[] = [];
  const errors: string[] = [];
  const value = input.replace(
    PATTERN,
    (whole, braced?: string, op?: string, arg?: string, bare?: string, bad?: string) => {
      if (whole === '$$') return '$';
      if (bad !== undefined) {
        errors.push(`${path}: invalid interpolation "${whole}"`);
        return whole;
      }
      const name = (braced ?? bare) as string;
      const current = env[name];
      const nested = arg === undefined ? undefined : interpolateString(arg, env, path);
      if (nested) {
        references.push(...nested.references);
        errors.push(...nested.errors);
      }
      const isSet = current !== undefined;
      const isNonEmpty = isSet && current !== '';
      switch (op) {
        case ':-':
          references.push({ name, fallback: nested?.value });
          return isNonEmpty ? current : (nested?.value ?? '');
        case '-':
          references.push({ name, fallback: nested?.value });
          return isSet ? current : (nested?.value ?? '');
        case ':?':
        case '?':
          references.push({ name });
          if (op === ':?' ? !isNonEmpty : !isSet)
            errors.push(`${path}: ${name} is required (${nested?.value ?? 'unset'})`);
          return current ?? '';
        case ':+':
        case '+':
          references.push({ name });
          return (op === ':+' ? isNonEmpty : isSet) ? (nested?.value ?? '') : '';
        default:
          references.push({ name });
          return current ?? '';
      }
    },
  );
  return { value, references, errors };
}

/** interpolate applies interpolateString to every string value (not keys) of a parsed compose document. */
export function interpolate<T>(doc: T, env: Record<string, string | undefined>): InterpolationResult<T> {
  const references: Reference[] = [];
  const errors: string[] = [];
  const walk = (node: unknown, path: string): unknown => {
    if (typeof node === 'string') {
      const result = interpolateString(node, env, path);
      references.push(...result.references);
      errors.push(...result.errors);
      return result.value;
    }
    if (Array.isArray(node)) return node.map((item, i) => walk(item, `${path}[${i}]`));
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(
        Object.entries(node).map(([k, v]) => [k, walk(v, path ? `${path}.${k}` : k)]),
      );
    }
    return node;
  };
  return { value: walk(doc, '') as T, references, errors };
}

/** parseEnvFile reads KEY=VALUE lines (comments and blank lines skipped), as compose reads an .env file. */
export function parseEnvFile(source: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of source.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`.env line is not KEY=VALUE: ${line}`);
    env[line.slice(0, eq).trim()] = line
      .slice(eq + 1)
      .trim()
      .replace(/^(['"])(.*)\1$/, '$2');
  }
  return env;
}
