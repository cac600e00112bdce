// A candidate process for the failover test: campaigns for LEADERSHIP on DATABASE_URL and prints one JSON line when
// it is elected or resigns, and one per run of its leader-only job. Test-only.
import pino from 'pino';
import { createPgSync } from '../pg.sync';

const sync = createPgSync({
  connectionString: process.env.DATABASE_URL ?? '',
  logger: pino({ level: 'warn' }),
});
const leader = sync.leader(process.env.LEADERSHIP ?? 'it', {
  campaignIntervalMs: Number(process.env.CAMPAIGN_INTERVAL_MS ?? 250),
  onChange: (leading) =>
    process.stdout.write(`${JSON.stringify({ pid: process.pid, leading, at: Date.now() })}\n`),
});
leader.every('tick', 100, () =>
  process.stdout.write(`${JSON.stringify({ pid: process.pid, job: 'tick' })}\n`),
);
void leader.start();
process.on('SIGTERM', () => void sync.close().then(() => process.exit(0)));
