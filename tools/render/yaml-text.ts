// Small text helpers for rendered YAML and shell: comments above a line, quoting like the hand-written files.
import type { EnvSetting } from '@blog/catalog';

/** commentLines turns a (multi-line) comment into `# ` lines. */
export const commentLines = (comment: string | undefined): string[] =>
  comment === undefined ? [] : comment.split('\n').map((l) => `# ${l}`);

/** yamlScalar quotes a value the way the hand-written files do: numbers and empty strings in single quotes. */
export function yamlScalar(value: string): string {
  if (value === '' || /^[\d.]+$/.test(value) || /^(true|false|null|yes|no)$/i.test(value))
    return `'${value}'`;
  if (/^[\w./:@${}\-,+ ]*$/.test(value) && !value.startsWith('$') && !/: |^[-{]/.test(value)) return value;
  return value.startsWith('${') && /^[\w${}:\-./@]*$/.test(value) ? value : `'${value.replace(/'/g, "''")}'`;
}

/** envMap renders settings as `NAME: value` lines, each after its comment. */
export const envMap = (settings: readonly EnvSetting[]): string[] =>
  settings.flatMap((s) => [...commentLines(s.comment), `${s.name}: ${yamlScalar(s.value)}`]);

/** indent prefixes every non-empty line. */
export const indent = (lines: readonly string[], by: string): string[] =>
  lines.map((l) => (l === '' ? l : by + l));
