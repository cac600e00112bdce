// What one catalog entry declares. Everything else about a service (its database role, password variable, address
// variable, image, Kubernetes Secret) follows from these fields by the helpers in names.ts.

/** EnvSetting is one deployment variable with an optional comment rendered above it. */
export interface EnvSetting {
  readonly name: string;
  readonly value: string;
  readonly comment?: string;
}

/** SecretEnv is a variable a Kubernetes deployment reads from a Secret key (the Secret is made outside the repo). */
export interface SecretEnv {
  readonly name: string;
  readonly secret: string;
  readonly key: string;
  readonly comment?: string;
}

/** ServiceDeploy is what a service's deployments set beyond the conventions every service gets. */
export interface ServiceDeploy {
  /** settings are set alike in every deployment (compose and Kubernetes). */
  readonly settings?: readonly EnvSetting[];
  /** compose are compose-only variables, after the settings (they may use ${VAR:-default} interpolation). */
  readonly compose?: readonly EnvSetting[];
  /** composeVolumes are compose volume mounts, each `name:/path` with an optional comment. */
  readonly composeVolumes?: readonly { readonly mount: string; readonly comment?: string }[];
  /** k8s are Kubernetes-only ConfigMap values, after the settings. */
  readonly k8s?: readonly EnvSetting[];
  /** k8sSecrets are variables the Kubernetes Deployment reads from Secrets besides the database password. */
  readonly k8sSecrets?: readonly SecretEnv[];
  /** k8sNote is a comment (lines) rendered at the top of the service's manifest, after its summary. */
  readonly k8sNote?: readonly string[];
  /** heavy services take the write path of every saga: the prod overlay gives them more CPU and memory. */
  readonly heavy?: boolean;
}

/** ServiceEntry is one domain service: gRPC on its own port, a PostgreSQL schema and login role of its own. */
export interface ServiceEntry {
  /** name is the app folder (apps/<name>), the registry name, the compose service and the Kubernetes name. */
  readonly name: string;
  /** summary is one line: what the service owns. */
  readonly summary: string;
  /** schema is the PostgreSQL schema the service owns (`user` is a reserved word, hence `users`). */
  readonly schema: string;
  /** grpcPort and adminPort are the local defaults and the container ports (below the ephemeral range). */
  readonly grpcPort: number;
  readonly adminPort: number;
  /** consumes are the event topics the service consumes (events.<aggregatetype>). */
  readonly consumes: readonly string[];
  /** callers are the apps allowed to call this service over gRPC (NetworkPolicies, the gateway's clients). */
  readonly callers: readonly string[];
  /** deploy are the service's own deployment settings. */
  readonly deploy?: ServiceDeploy;
}

/** GatewayEntry is the REST gateway: an admin port and the public REST port, no gRPC server, no schema. */
export interface GatewayEntry {
  readonly name: 'api-gateway';
  readonly summary: string;
  readonly adminPort: number;
  /** restPort is the public REST port (GATEWAY_PORT). */
  readonly restPort: number;
}

/** defineService checks a service entry's own fields and returns it (one call per file in services/). */
export function defineService(entry: ServiceEntry): ServiceEntry {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(entry.name)) {
    throw new Error(`service name ${entry.name} must be kebab-case (a-z, 0-9, -)`);
  }
  if (!/^[a-z_][a-z0-9_]*$/.test(entry.schema))
    throw new Error(`schema ${entry.schema} is not a plain SQL name`);
  return entry;
}
