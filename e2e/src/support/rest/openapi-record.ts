// What Prism's proxy (tools/openapi/prism-proxy.ts) said about each exchange of the suite's REST client, appended to
// one file of the run (E2E_OPENAPI_LOG, set by the global setup when the proxy runs) by every test worker; the last
// test file (faults/99-openapi-contract.e2e.ts) reads it and fails on any violation.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { contractViolations, type ContractViolation } from '../tooling';

/** OPENAPI_LOG_VARIABLE names the file of recorded exchanges (unset: nothing is recorded). */
export const OPENAPI_LOG_VARIABLE = 'E2E_OPENAPI_LOG';

/** ExchangeRecord is one validated exchange. */
export interface ExchangeRecord {
  method: string;
  path: string;
  status: number;
  violations: ContractViolation[];
}

/** recordExchange notes one answer that came through the proxy (a no-op when none runs). */
export function recordExchange(method: string, url: string, response: Response): void {
  const file = process.env[OPENAPI_LOG_VARIABLE];
  if (!file) return;
  const path = new URL(url).pathname;
  const exchange = { method, path, status: response.status };
  const record: ExchangeRecord = {
    ...exchange,
    violations: contractViolations(exchange, response.headers.get('sl-violations')),
  };
  appendFileSync(file, `${JSON.stringify(record)}\n`);
}

/** readExchanges returns every exchange recorded in `file` so far. */
export function readExchanges(file: string): ExchangeRecord[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ExchangeRecord);
}
