// The trace viewer in Kubernetes: Zipkin's Deployment, Service and NetworkPolicy in the base, every app exporting to
// it (OTEL_TRACES_EXPORTER and the endpoint through the Service) with an egress rule to its pods on 9411, and the
// viewer admitting those apps. The namespace denies all traffic by default, so without the rules no span would leave.
import { apps } from '../apps';
import { type Doc } from '../yaml';
import { type Any, find } from './k8s-docs';
import { containerEnv } from './k8s-env';

/** ZIPKIN_PORT is the viewer's HTTP port (UI, query API and span collector). */
export const ZIPKIN_PORT = 9411;
/** ZIPKIN_SPANS_URL is where every app posts its spans. */
export const ZIPKIN_SPANS_URL = `http://zipkin:${ZIPKIN_PORT}/api/v2/spans`;

const ports = (rule: Any): number[] => (rule.ports ?? []).map((p: Any) => p.port);

/** checkTraceExport returns every problem of the trace path. */
export function checkTraceExport(docs: readonly Doc[]): string[] {
  const problems: string[] = [];
  for (const kind of ['Deployment', 'Service', 'NetworkPolicy'])
    if (!find(docs, kind, 'zipkin')) problems.push(`${kind}/zipkin: missing (the trace viewer)`);
  const service = find(docs, 'Service', 'zipkin');
  if (service && !(service.spec?.ports ?? []).some((p: Any) => p.port === ZIPKIN_PORT))
    problems.push(`Service/zipkin: must serve port ${ZIPKIN_PORT}`);
  const viewerPolicy = find(docs, 'NetworkPolicy', 'zipkin');
  const admitted = (labels: Record<string, string>) =>
    (viewerPolicy?.spec?.ingress ?? []).some(
      (rule: Any) =>
        ports(rule).includes(ZIPKIN_PORT) &&
        (rule.from ?? []).some((peer: Any) => {
          const wanted: Record<string, string> = peer.podSelector?.matchLabels ?? {};
          return Object.keys(wanted).length > 0 && Object.entries(wanted).every(([k, v]) => labels[k] === v);
        }),
    );
  for (const app of apps) {
    const deploy = find(docs, 'Deployment', app.name);
    if (!deploy) continue;
    const main = (deploy.spec?.template?.spec?.containers ?? []).find((c: Any) => c.name === app.name);
    const { env } = containerEnv(docs, main ?? {});
    const literal = (name: string) => {
      const value = env[name];
      return value?.kind === 'literal' ? value.value : undefined;
    };
    if (literal('OTEL_TRACES_EXPORTER') !== 'zipkin')
      problems.push(`Deployment/${app.name}: OTEL_TRACES_EXPORTER must be zipkin (spans to the viewer)`);
    if (literal('OTEL_EXPORTER_ZIPKIN_ENDPOINT') !== ZIPKIN_SPANS_URL)
      problems.push(`Deployment/${app.name}: OTEL_EXPORTER_ZIPKIN_ENDPOINT must be ${ZIPKIN_SPANS_URL}`);
    const policy = find(docs, 'NetworkPolicy', app.name);
    const egress = (policy?.spec?.egress ?? []).some(
      (rule: Any) =>
        ports(rule).includes(ZIPKIN_PORT) &&
        (rule.to ?? []).some(
          (peer: Any) => peer.podSelector?.matchLabels?.['app.kubernetes.io/name'] === 'zipkin',
        ),
    );
    if (!egress) problems.push(`NetworkPolicy/${app.name}: no egress to zipkin:${ZIPKIN_PORT} (its spans)`);
    if (viewerPolicy && !admitted(deploy.spec?.template?.metadata?.labels ?? {}))
      problems.push(`NetworkPolicy/zipkin: does not admit ${app.name} on ${ZIPKIN_PORT}`);
  }
  return problems;
}
