import { DnsRegistry, type DnsRegistryOptions } from './dns';
import { type Registry, RegistryError } from './registry';
import { StaticRegistry } from './static';

/** RegistryKind is the value of the REGISTRY variable. */
export type RegistryKind = 'static' | 'dns';

/** createRegistry picks the implementation named by REGISTRY (static|dns, default static). */
export function createRegistry(options: DnsRegistryOptions = {}): Registry {
  const env = options.env ?? process.env;
  const kind = env.REGISTRY?.trim() || 'static';
  switch (kind) {
    case 'static':
      return new StaticRegistry(env);
    case 'dns':
      return new DnsRegistry({ ...options, env });
    default:
      throw new RegistryError(`REGISTRY must be "static" or "dns", got "${kind}"`);
  }
}
