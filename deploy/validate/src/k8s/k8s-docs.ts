// What every Kubernetes check shares: the context an overlay is held to and lookups in the rendered documents.
import { type AppConfigs } from '../app-env/config-schema';
import { type ConnectorSource } from '../connector';
import { type Doc } from '../yaml';

/** K8sContext is what an overlay is held to. */
export interface K8sContext {
  overlay: 'dev' | 'prod';
  connector: ConnectorSource;
  topics: readonly string[];
  /** configs are the apps' environment schemas, read from their sources. */
  configs: AppConfigs;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are untyped YAML, navigated defensively */
/** Any is a node of a rendered manifest. */
export type Any = any;

/** find returns the document of a kind and name, if rendered. */
export const find = (docs: readonly Doc[], kind: string, name: string): Any =>
  docs.find((d) => d.kind === kind && (d.metadata as Any)?.name === name);

/** all returns every document of a kind. */
export const all = (docs: readonly Doc[], kind: string): Any[] => docs.filter((d) => d.kind === kind);
