// Health contract: readiness checks (database, broker, ...) and the report /readyz renders.

/** ReadinessCheck is anything that can say whether the service may take traffic (a Component is one). */
export interface ReadinessCheck {
  readonly name: string;
  /** ready resolves true when usable; false or a thrown error means not ready (the message is reported). */
  ready(): Promise<boolean> | boolean;
}

/** CheckResult is one check's outcome. */
export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly error?: string;
}

/** ReadinessReport is the outcome of every check; ready only if all are ok. */
export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: CheckResult[];
}

/** DEFAULT_CHECK_TIMEOUT_MS bounds one check, so a hung dependency reads as "not ready" rather than a hung probe. */
export const DEFAULT_CHECK_TIMEOUT_MS = 2_000;

/** checkReadiness runs every check concurrently, each bounded by timeoutMs. */
export async function checkReadiness(
  checks: readonly ReadinessCheck[],
  timeoutMs = DEFAULT_CHECK_TIMEOUT_MS,
): Promise<ReadinessReport> {
  const results = await Promise.all(checks.map((check) => runCheck(check, timeoutMs)));
  return { ready: results.every((r) => r.ok), checks: results };
}

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const ok = await Promise.race([Promise.resolve().then(() => check.ready()), timeout]);
    return ok ? { name: check.name, ok: true } : { name: check.name, ok: false, error: 'not ready' };
  } catch (error) {
    return { name: check.name, ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
