// Every rendered document against its schema: Kubernetes' own kinds through kubernetes-models (the OpenAPI schemas
// of the Kubernetes API, compiled), cert-manager's through @kubernetes-models/cert-manager (its CRDs' schemas,
// compiled by the same project), the other custom resources through CRD_SCHEMAS. An unknown apiVersion/kind is an
// error.
import Ajv, { type ValidateFunction } from 'ajv';
import { type Doc } from '../yaml';
import { CRD_SCHEMAS } from './crd-schemas';

interface Model {
  validate(): void;
}
type ModelClass = new (data: unknown) => Model;

const ajv = new Ajv({ allErrors: true, strict: false });
const crdValidators = new Map<string, ValidateFunction>();

/** MODEL_PACKAGES are the npm packages of kubernetes-models for third-party API groups, by group. */
const MODEL_PACKAGES: Readonly<Record<string, string>> = {
  'cert-manager.io': '@kubernetes-models/cert-manager',
};

/**
 * modelPath maps an apiVersion and kind to its kubernetes-models module: `apps/v1` Deployment ->
 * `kubernetes-models/apps/v1/Deployment`, `cert-manager.io/v1` Certificate ->
 * `@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate`.
 */
const modelPath = (apiVersion: string, kind: string) => {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return `${MODEL_PACKAGES[group] ?? 'kubernetes-models'}/${apiVersion}/${kind}`;
};

/** idOf names a document in messages. */
export const idOf = (doc: Doc): string =>
  `${String(doc.kind)}/${String((doc.metadata as { name?: string } | undefined)?.name)}`;

/** validateDocument returns one line per schema problem of one Kubernetes document. */
export async function validateDocument(doc: Doc): Promise<string[]> {
  const apiVersion = String(doc.apiVersion);
  const kind = String(doc.kind);
  const crdKey = `${apiVersion}/${kind}`;
  if (crdKey in CRD_SCHEMAS) {
    let validate = crdValidators.get(crdKey);
    if (!validate) {
      validate = ajv.compile(CRD_SCHEMAS[crdKey]);
      crdValidators.set(crdKey, validate);
    }
    if (validate(doc)) return [];
    return (validate.errors ?? []).map(
      (e) =>
        `${idOf(doc)}: ${e.instancePath || '/'} ${e.message}${'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`,
    );
  }
  let Model: ModelClass | undefined;
  try {
    Model = ((await import(modelPath(apiVersion, kind))) as Record<string, ModelClass>)[kind];
  } catch {
    Model = undefined;
  }
  if (!Model)
    return [
      `${idOf(doc)}: unknown apiVersion/kind ${apiVersion} ${kind} (no Kubernetes model and no CRD schema)`,
    ];
  try {
    new Model(doc).validate();
    return [];
  } catch (err) {
    return [`${idOf(doc)}: ${(err as Error).message}`];
  }
}

/** validateDocuments validates every document of a rendered overlay. */
export async function validateDocuments(docs: readonly Doc[]): Promise<string[]> {
  return (await Promise.all(docs.map(validateDocument))).flat();
}
