// The names every service gets by convention, derived from its catalog entry (never written per service).

/** envName turns a service name into the stem of its variables: `api-gateway` -> API_GATEWAY. */
export const envName = (name: string): string => name.replace(/[^a-zA-Z0-9]+/g, '_').toUpperCase();

/** serviceAddrVar names the variable that locates a service: `user` -> USER_SERVICE_ADDR. */
export const serviceAddrVar = (name: string): string => `${envName(name)}_SERVICE_ADDR`;

/** adminAddrVar names the variable that locates a service's admin port: `user` -> USER_ADMIN_ADDR. */
export const adminAddrVar = (name: string): string => `${envName(name)}_ADMIN_ADDR`;

/** dbRoleOf is a service's PostgreSQL login role: it owns the service's schema and can touch nothing else. */
export const dbRoleOf = (name: string): string => `${name.replace(/-/g, '_')}_svc`;

/** dbPasswordVar names the variable holding a service's database password: `user` -> USER_DB_PASSWORD. */
export const dbPasswordVar = (name: string): string => `${envName(name)}_DB_PASSWORD`;

/** dbSecretOf is the Kubernetes Secret (basic-auth) with a service's database password. */
export const dbSecretOf = (name: string): string => `blog-db-${name}`;

/** imageOf is an app's container image name (the overlays set its registry and tag). */
export const imageOf = (name: string): string => `blog/${name}`;

/** kafkaPasswordVar names the variable holding a Kafka user's password: `blog-tools` -> BLOG_TOOLS_KAFKA_PASSWORD. */
export const kafkaPasswordVar = (user: string): string => `${envName(user)}_KAFKA_PASSWORD`;
