// The control server: the global setup's ProcessControl over HTTP on 127.0.0.1 (an ephemeral port), so that
// test files, which run in worker processes, can stop and start the processes the setup owns.
//   POST /<verb>[/<app>]  ->  200 {outcome, ms} | 500 {error}
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  appNames,
  controlVerbs,
  type AppName,
  type ControlVerb,
  type ProcessControl,
} from './process-control';

/** ControlServer is a listening control server. */
export interface ControlServer {
  url: string;
  close(): Promise<void>;
}

/** serveControl starts serving `control`; actions run one at a time, in arrival order. */
export async function serveControl(
  control: ProcessControl,
  log: (line: string) => void,
): Promise<ControlServer> {
  let queue: Promise<unknown> = Promise.resolve();
  const server: Server = createServer((request, response) => {
    const [verb, app] = (request.url ?? '').split('/').filter(Boolean) as [
      ControlVerb | undefined,
      AppName | undefined,
    ];
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (
      request.method !== 'POST' ||
      !verb ||
      !controlVerbs.includes(verb) ||
      (app !== undefined && !appNames.includes(app))
    ) {
      return reply(404, { error: `unknown control action ${request.method} ${request.url}` });
    }
    const action = verb;
    const run = queue.then(async () => {
      log(`control: ${verb}${app ? ` ${app}` : ''}`);
      const result = await (control[action] as (app?: AppName) => ReturnType<ProcessControl[ControlVerb]>)(
        app,
      );
      log(
        `control: ${verb}${app ? ` ${app}` : ''} -> ${result.outcome} in ${(result.ms / 1000).toFixed(1)}s`,
      );
      return result;
    });
    queue = run.catch(() => undefined);
    run.then(
      (result) => reply(200, result),
      (error: Error) => reply(500, { error: error.message }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
