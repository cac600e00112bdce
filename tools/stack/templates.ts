import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * renderTemplate fills `{{name}}` placeholders. An unknown placeholder is an error rather than an empty value:
 * a half-filled broker config would start and misbehave. `${...}` is left alone (log4j and config providers).
 */
export function renderTemplate(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`template placeholder {{${name}}} has no value`);
    return String(values[name]);
  });
}

/** writeRendered renders the template file `from` into `to`. */
export function writeRendered(from: string, to: string, values: Record<string, string | number>): void {
  mkdirSync(dirname(to), { recursive: true });
  writeFileSync(to, renderTemplate(readFileSync(from, 'utf8'), values));
}
