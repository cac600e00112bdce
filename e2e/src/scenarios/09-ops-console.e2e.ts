// The web console (libs/ops/src/console) in a real browser: playwright-core driving Debian's Chromium (installed by
// tools/setup/system-deps.sh) against the running system. The catalog, the map, a saga's swimlanes with its
// dead-lettered step, and a redrive from the page that lets the saga complete. Screenshots go to docs/console-*.png.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Ops, startConsole, type OpsTarget, type RunningConsole } from '@blog/ops';
import { Client } from 'pg';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { credentials, expectStatus, uniqueNickname } from '../support/rest/sagas';
import { scenario, suite } from '../support/suite';
import { repoRoot, services, stackInfo, toolsCredentials } from '../support/tooling';

const { ctx, api } = suite();
const CHROMIUM = process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';
/** grpcServiceOf is a service's fully-qualified gRPC service, as the generator names it: blog.probe_board.v1.ProbeBoardService. */
const grpcServiceOf = (name: string): string =>
  `blog.${name.replace(/-/g, '_')}.v1.${name.replace(/(^|-)([a-z0-9])/g, (_, _dash: string, c: string) => c.toUpperCase())}Service`;
const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(repoRoot, 'docs', `console-${name}.png`), fullPage: true });

scenario('web console in a browser', ['kafka', 'local'], () => {
  let target: OpsTarget;
  let ops: Ops;
  let web: RunningConsole;
  let browser: Browser;
  let page: Page;
  let db: Client;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `${CHROMIUM} is missing: run tools/setup/system-deps.sh (as root) to install Debian's chromium`,
      );
    }
    const info = stackInfo();
    const ports = ctx.appPorts ?? {};
    target = {
      kafkaBrokers: ctx.kafkaBrokers ?? [],
      kafkaSasl: ctx.kafkaSasl,
      databaseUrl: info.adminDatabaseUrl,
      services: [
        ...services.map(({ name, schema }) => ({
          name,
          schema,
          grpcService: grpcServiceOf(name),
          nodes: Object.entries(ports)
            .filter(([instance]) => instance.split('.')[0] === name)
            .map(([, [grpc, admin]]) => ({ grpc: `127.0.0.1:${grpc}`, admin: `127.0.0.1:${admin}` })),
        })),
        { name: 'api-gateway', nodes: [{ admin: `127.0.0.1:${ports['api-gateway']?.[0] ?? 0}` }] },
      ],
      traceViewerUrl: 'http://127.0.0.1:9411',
      stuckAfterMs: 600_000,
      // The tools' development identity (blog-tools), as the CLI and the console use it.
      grpcCredentials: toolsCredentials(),
      actor: 'e2e-console',
    };
    ops = new Ops(target, repoRoot);
    web = await startConsole({ ops, host: '127.0.0.1', port: 0 });
    db = new Client({ connectionString: info.adminDatabaseUrl });
    await db.connect();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-dev-shm-usage'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });
  afterAll(async () => {
    await db?.query(
      'drop trigger if exists e2e_console_poison on blog.blog; drop function if exists blog.e2e_console_poison()',
    );
    await db?.end();
    await browser?.close();
    await web?.close();
    await ops?.close();
  });

  it('shows the catalog with every service SERVING', async () => {
    await page.goto(`${web.url}/#catalog`);
    for (const { name } of services) {
      await expect
        .poll(() => page.locator('#services-table tbody tr', { hasText: name }).locator('td.SERVING').count())
        .toBeGreaterThan(0);
    }
    await expect.poll(() => page.locator('#live.on').count()).toBe(1); // the SSE stream is connected
    await shot(page, 'catalog');
  });

  it('draws the map from the code: services, RPC edges, topics with producers and consumers', async () => {
    await page.goto(`${web.url}/#map`);
    await page.locator('#map-svg rect[data-node="events.user.profile"]').waitFor();
    for (const node of ['api-gateway', 'auth', 'subscribe', 'events.auth.account', 'events.visitor.stats']) {
      expect(await page.locator(`#map-svg rect[data-node="${node}"]`).count(), node).toBe(1);
    }
    expect(await page.locator('#map-svg line').count()).toBeGreaterThan(20);
    expect(await page.locator('#map-svg text', { hasText: /\d+ records/ }).count()).toBe(6);
    await shot(page, 'map');
  });

  it('shows a stuck saga as swimlanes and redrives its dead letter from the page', async () => {
    await db.query(`
      create or replace function blog.e2e_console_poison() returns trigger language plpgsql as $$
      begin
        if new.slug like 'browser%' then raise exception 'e2e console poison: slug % refused', new.slug; end if;
        return new;
      end $$;
      create trigger e2e_console_poison before insert on blog.blog for each row execute function blog.e2e_console_poison();`);
    const started = await api.post(
      '/v1/accounts',
      credentials(`browser${uniqueNickname('b').slice(-10)}`.toLowerCase()),
    );
    expectStatus(started, 202);
    const accountId = (started.body as { accountId: string }).accountId;
    const { rows } = await db.query<{ signup_saga_id: string }>(
      'select signup_saga_id from auth.account where id = $1',
      [accountId],
    );
    const sagaId = rows[0]?.signup_saga_id ?? '';
    const letters = await ops.deadLetters();
    const letter = await eventually(
      async () => {
        const found = (await letters.list({ topic: 'events.user.profile' })).find((l) => l.sagaId === sagaId);
        if (!found) throw new Error('not dead-lettered yet');
        return found;
      },
      { timeoutMs: 60_000, what: 'the dead letter' },
    );

    await page.goto(`${web.url}/#sagas`);
    await page.locator('#saga-filter input[name="stuck"]').check();
    await page.locator(`#sagas-table tr[data-saga="${sagaId}"]`).click();
    await page.locator('#swimlanes circle.step[data-step="UserCreated"]').waitFor();
    for (const lane of ['auth', 'user', 'blog'])
      expect(await page.locator(`#swimlanes text[data-lane="${lane}"]`).count(), lane).toBe(1);
    expect(await page.locator('#swimlanes text', { hasText: 'DEAD-LETTERED' }).count()).toBe(1);
    expect(await page.locator('#trace-link').getAttribute('href')).toMatch(
      /^http:\/\/127\.0\.0\.1:9411\/zipkin\/traces\/[0-9a-f]{32}$/,
    );
    await shot(page, 'saga-stuck');

    await db.query('drop trigger e2e_console_poison on blog.blog; drop function blog.e2e_console_poison()');
    await page.goto(`${web.url}/#dlq`);
    const row = page.locator(`#dlq-table tr[data-letter="${letter.id}"]`);
    await row.waitFor();
    await shot(page, 'dlq');
    const asked: string[] = [];
    page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.accept();
    });
    await row.locator('button.redrive').click();
    await expect.poll(() => row.locator('td').nth(5).textContent()).toMatch(/^1x/);
    expect(asked[0]).toContain(letter.id);
    const { rows: logged } = await db.query<{ actor: string }>(
      'select actor from ops.redrive_log where dlq_id = $1',
      [letter.id],
    );
    expect(logged.map((r) => r.actor)).toEqual(['console@127.0.0.1']);

    await eventually(
      async () => {
        const saga = await (await ops.sagas()).get(sagaId);
        if (saga.status !== 'COMPLETED') throw new Error(`saga ${saga.status}`);
      },
      { timeoutMs: 60_000, what: 'the saga completing after the redrive from the page' },
    );
    await page.goto(`${web.url}/#sagas`);
    await page.locator(`#sagas-table tr[data-saga="${sagaId}"]`).click();
    await page.locator('#swimlanes circle.step[data-step="AccountActivated"]').waitFor();
    expect(await page.locator('#swimlanes text', { hasText: 'DEAD-LETTERED' }).count()).toBe(0);
    await shot(page, 'saga');
  });
});
