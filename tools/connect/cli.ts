// Operator entry point for Kafka Connect: `npm run connect -- <verb> [connector]` (through tools/cli.ts).
// The worker is CONNECT_URL, else the local stack's (127.0.0.1:CONNECT_PORT); the connector defaults to the one
// in deploy/connector/debezium-outbox.json.
import { ConnectError, createKafkaConnectClient } from '@blog/kafka-connect';
import { loadConnectorDefinition, loadStackConfig, registerConnector, StackError } from '../stack';
import {
  deploymentWatchdogTarget,
  runWatchdog,
  serveLiveness,
  watchdogSettingsFromEnv,
} from '../stack/connect/watchdog';

const usage = `usage: npm run connect -- <verb> [connector]
  status     connector and task states (exit 3 unless all RUNNING)
  restart    restart the failed connector and tasks (--all: every instance)
  pause      pause the connector
  resume     resume the connector
  delete     delete the connector
  plugins    list installed connector plugins (--all: also transforms, converters, ...)
  register   create or update the connector from deploy/connector/debezium-outbox.json and wait until RUNNING
  list       list connectors
  watchdog   restore the connector when it stops streaming, and answer GET :WATCHDOG_PORT/live (default 8099)
             with 503 once the worker must be replaced (compose and Kubernetes; the local stack runs its own)`;

/** main runs one operator verb; returns the exit code. */
export function main(argv: string[]): Promise<number> {
  return run(argv).catch((error: unknown) => {
    if (error instanceof ConnectError && error.status === undefined) {
      throw new StackError(`${error.message}: is Kafka Connect up? (npm run stack:up, or set CONNECT_URL)`);
    }
    throw error;
  });
}

async function run(argv: string[]): Promise<number> {
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  const [verb, name] = argv.filter((a) => !a.startsWith('--'));
  const config = loadStackConfig();
  const definition = loadConnectorDefinition(config.connectorFile);
  const connector = name ?? definition.name;
  const client = createKafkaConnectClient({
    url: process.env['CONNECT_URL'] || `http://${config.host}:${config.ports.connect}`,
  });
  const print = (value: unknown) => console.log(JSON.stringify(value, null, 2));

  switch (verb) {
    case 'status': {
      const status = await client.status(connector);
      print(status);
      const running =
        status.connector.state === 'RUNNING' &&
        status.tasks.length > 0 &&
        status.tasks.every((t) => t.state === 'RUNNING');
      return running ? 0 : 3;
    }
    case 'restart': {
      const all = flags.has('--all');
      print(
        (await client.restart(connector, { includeTasks: true, onlyFailed: !all })) ?? {
          restarted: connector,
        },
      );
      return 0;
    }
    case 'pause':
      await client.pause(connector);
      console.log(`${connector} pause requested`);
      return 0;
    case 'resume':
      await client.resume(connector);
      console.log(`${connector} resume requested`);
      return 0;
    case 'delete':
      await client.delete(connector);
      console.log(`${connector} deleted`);
      return 0;
    case 'plugins':
      for (const plugin of await client.plugins({ connectorsOnly: !flags.has('--all') })) {
        console.log(`${plugin.type.padEnd(16)} ${plugin.class} ${plugin.version ?? ''}`);
      }
      return 0;
    case 'register': {
      const { created, changed, status } = await registerConnector(client, definition);
      console.log(
        `${definition.name} ${created ? 'created' : changed ? 'updated' : 'unchanged'}, ${status.connector.state}`,
      );
      return 0;
    }
    case 'list':
      print(await client.list());
      return 0;
    case 'watchdog': {
      const run = runWatchdog(deploymentWatchdogTarget(process.env, config.connectorFile), {
        settings: watchdogSettingsFromEnv(),
      });
      serveLiveness(run, Number(process.env['WATCHDOG_PORT'] || 8099));
      process.once('SIGTERM', () => void run.stop().then(() => process.exit(0)));
      return new Promise<number>(() => undefined); // runs until SIGTERM
    }
    default:
      console.error(usage);
      return 2;
  }
}
