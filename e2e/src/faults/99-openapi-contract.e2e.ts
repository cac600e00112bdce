// Last file of the run: every exchange of the scenarios' REST client (typed client included) went through Prism's
// validating proxy (tools/openapi/prism-proxy.ts); here the run fails on any finding that proves the
// OpenAPI document wrong: a response it does not describe, or a request it refuses that the gateway accepted.
import { describe, expect, it } from 'vitest';
import { OPENAPI_LOG_VARIABLE, readExchanges } from '../support/rest/openapi-record';
import { e2e } from '../support/context';

const ctx = e2e();
const reason = ctx.skipReason ?? (ctx.openapiProxyUrl ? undefined : (ctx.openapiSkipReason ?? 'no proxy'));

if (reason) process.stderr.write(`e2e: SKIPPED "OpenAPI validation of the run's traffic": ${reason}\n`);

(reason ? describe.skip : describe)(
  `OpenAPI validation of the run's traffic${reason ? ` [SKIPPED: ${reason}]` : ''}`,
  () => {
    it("the gateway's answers all match /openapi.json (Prism's proxy found no violation)", () => {
      const exchanges = readExchanges(process.env[OPENAPI_LOG_VARIABLE] ?? '');
      const routes = new Set(exchanges.map((exchange) => `${exchange.method} ${exchange.status}`));
      process.stderr.write(
        `e2e: OpenAPI: ${exchanges.length} exchanges validated by Prism (${routes.size} method/status pairs)\n`,
      );
      // The whole suite's REST traffic went through the proxy: a handful would mean the wiring broke.
      expect(exchanges.length).toBeGreaterThan(200);
      const violations = exchanges.flatMap((exchange) => exchange.violations);
      expect(
        violations.map(
          (violation) =>
            `${violation.method} ${violation.path} -> ${violation.status}: ${violation.location.join('.')} ${violation.message}`,
        ),
      ).toEqual([]);
    });
  },
);
