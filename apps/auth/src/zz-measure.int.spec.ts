import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, it } from 'vitest';
import { blogCreated, seedAccount } from './testing/accounts';
import { publishRecord } from './testing/events';
import { startAuth, type AuthHarness } from './testing/harness';
let h: AuthHarness;
beforeAll(async () => { h = await startAuth(); });
afterAll(() => h?.close());
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))].toFixed(1);
it('measures', async () => {
  const step: number[] = [];
  for (let i = 0; i < 15; i++) {
    const { accountId, sagaId } = await seedAccount(h, 'PENDING');
    const t = performance.now();
    await publishRecord(h.broker, blogCreated(accountId, sagaId));
    await h.accountEvents.next('AccountActivated', accountId);
    step.push(performance.now() - t);
  }
  const a = await seedAccount(h, 'ACTIVE');
  const login: number[] = []; const refresh: number[] = []; const create: number[] = [];
  for (let i = 0; i < 20; i++) {
    let t = performance.now();
    const r = await h.client.login({ email: a.email, password: a.password });
    login.push(performance.now() - t);
    t = performance.now();
    await h.client.refresh({ refreshToken: r.tokens?.refreshToken ?? '' });
    refresh.push(performance.now() - t);
  }
  for (let i = 0; i < 10; i++) {
    const t = performance.now();
    await h.client.createAccount({ email: `m-${Math.random()}@x.io`, password: 'password123', nickname: 'measure_me', blogSlug: '' });
    create.push(performance.now() - t);
  }
  writeFileSync('/tmp/auth-measure.json', JSON.stringify({ stepBlogCreatedToAccountActivated: { p50: pct(step, 0.5), p90: pct(step, 0.9) }, login: { p50: pct(login, 0.5), p90: pct(login, 0.9) }, refresh: { p50: pct(refresh, 0.5), p90: pct(refresh, 0.9) }, createAccount: { p50: pct(create, 0.5), p90: pct(create, 0.9) } }));
});
