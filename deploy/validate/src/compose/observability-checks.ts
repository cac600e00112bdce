// The compose observability profile: every part present, Prometheus scraping every app, Grafana provisioned.
import { apps } from '../apps';
import { type ComposeFile } from './compose-checks';

/** OBSERVABILITY_SERVICES run only with `--profile observability`. */
export const OBSERVABILITY_SERVICES = [
  'prometheus',
  'grafana',
  'elasticsearch',
  'kibana',
  'filebeat',
] as const;

interface ScrapeConfig {
  job_name?: string;
  static_configs?: { targets?: string[] }[];
  dns_sd_configs?: { names?: string[]; type?: string; port?: number }[];
}

/** ObservabilityFiles are the parsed configs the profile mounts. */
export interface ObservabilityFiles {
  prometheus: { scrape_configs?: ScrapeConfig[] };
  datasources: { datasources?: { uid?: string; type?: string; url?: string }[] };
  /** dashboards maps file name to parsed dashboard JSON. */
  dashboards: Record<string, unknown>;
}

/** scrapeTargets lists host:port pairs a scrape config reaches (DNS SD names with their port, static targets). */
function scrapeTargets(config: ScrapeConfig): string[] {
  const dns = (config.dns_sd_configs ?? []).flatMap((d) => (d.names ?? []).map((n) => `${n}:${d.port}`));
  const statics = (config.static_configs ?? []).flatMap((s) => s.targets ?? []);
  return [...dns, ...statics];
}

/** checkObservability returns every problem of the observability profile. */
export function checkObservability(compose: ComposeFile, files: ObservabilityFiles): string[] {
  const problems: string[] = [];
  for (const name of OBSERVABILITY_SERVICES) {
    const svc = compose.services[name];
    if (!svc) problems.push(`compose service ${name}: missing from the observability profile`);
    else if (!(svc.profiles as string[] | undefined)?.includes('observability'))
      problems.push(`compose service ${name}: must be in profile observability`);
  }
  const targets = (files.prometheus.scrape_configs ?? []).flatMap(scrapeTargets);
  for (const app of apps) {
    if (!targets.includes(`${app.name}:${app.adminPort}`))
      problems.push(`prometheus.yml: does not scrape ${app.name}:${app.adminPort} (its /metrics)`);
  }
  const uids = new Set((files.datasources.datasources ?? []).map((d) => d.uid));
  if (![...uids].length) problems.push('grafana: no provisioned datasource');
  if (Object.keys(files.dashboards).length === 0) problems.push('grafana: no provisioned dashboard');
  for (const [file, dashboard] of Object.entries(files.dashboards)) {
    const used = [
      ...JSON.stringify(dashboard).matchAll(/"datasource":\{"type":"[^"]+","uid":"([^"]+)"\}/g),
    ].map((m) => m[1]);
    if (used.length === 0) problems.push(`grafana dashboard ${file}: no panel uses a provisioned datasource`);
    for (const uid of used)
      if (!uids.has(uid))
        problems.push(`grafana dashboard ${file}: datasource uid ${uid} is not provisioned`);
  }
  return problems;
}
