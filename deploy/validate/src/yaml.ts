// YAML reading that fails loudly: a syntax error or a duplicate key is a broken deployment file, not a warning.
import { readFileSync } from 'node:fs';
import { parse, parseAllDocuments, stringify } from 'yaml';

/** Doc is one parsed YAML document. */
export type Doc = Record<string, unknown>;

/** parseYaml parses one document; merge keys (`<<: *anchor`) are resolved, as compose does. */
export function parseYaml(source: string, origin = 'yaml'): unknown {
  try {
    return parse(source, { merge: true, uniqueKeys: true, prettyErrors: true });
  } catch (err) {
    throw new Error(`${origin}: ${(err as Error).message}`);
  }
}

/** parseYamlDocs parses a multi-document stream, dropping empty documents. */
export function parseYamlDocs(source: string, origin = 'yaml'): Doc[] {
  return parseAllDocuments(source, { uniqueKeys: true, prettyErrors: true }).flatMap((doc) => {
    if (doc.errors.length > 0) throw new Error(`${origin}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value = doc.toJS() as unknown;
    return value === null || value === undefined ? [] : [value as Doc];
  });
}

/** readYaml reads and parses one YAML file. */
export const readYaml = (path: string): unknown => parseYaml(readFileSync(path, 'utf8'), path);

/** readYamlDocs reads and parses a multi-document YAML file. */
export const readYamlDocs = (path: string): Doc[] => parseYamlDocs(readFileSync(path, 'utf8'), path);

/** toYamlDocs writes documents as one multi-document YAML stream, with a header comment. */
export function toYamlDocs(header: string, docs: readonly unknown[]): string {
  const body = docs.map((d) => stringify(d, { lineWidth: 0, singleQuote: true })).join('---\n');
  return `${header
    .split('\n')
    .map((l) => `# ${l}`.trimEnd())
    .join('\n')}\n${body}`;
}

/** clone deep-copies plain data (for negative tests that break a copy of a real document). */
export const clone = <T>(value: T): T => structuredClone(value);
