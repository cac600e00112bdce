// The parsed compose document: the subset of the Compose Specification the checks read.

/** ComposeService is the subset of a compose service the checks read. */
export interface ComposeService {
  image?: string;
  build?: {
    context?: string;
    dockerfile?: string;
    target?: string;
    network?: string;
    args?: Record<string, string>;
  };
  pull_policy?: string;
  environment?: Record<string, string | number | boolean | null> | string[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
  depends_on?: string[] | Record<string, { condition?: string }>;
  ports?: (string | { published?: string | number; target?: number })[];
  restart?: string;
  profiles?: string[];
  command?: string | string[];
  volumes?: (string | { type?: string; source?: string; target?: string })[];
}

/** ComposeFile is the parsed document. */
export interface ComposeFile {
  services: Record<string, ComposeService>;
  [key: string]: unknown;
}

/** environmentOf returns a service's variables as a map (list form `A=b` included). */
export function environmentOf(service: ComposeService): Record<string, string | undefined> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => [
        entry.split('=')[0],
        entry.includes('=') ? entry.slice(entry.indexOf('=') + 1) : undefined,
      ]),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? undefined : String(v)]));
}
