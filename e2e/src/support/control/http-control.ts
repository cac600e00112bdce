// The test side of the control server: ProcessControl over HTTP.
import type { AppName, ControlResult, ControlVerb, ProcessControl } from './process-control';

/** httpControl returns a ProcessControl that asks the control server at `url`. */
export function httpControl(url: string): ProcessControl {
  const call = async (verb: ControlVerb, app?: AppName): Promise<ControlResult> => {
    const response = await fetch(`${url}/${verb}${app ? `/${app}` : ''}`, {
      method: 'POST',
      signal: AbortSignal.timeout(180_000),
    });
    const body = (await response.json()) as ControlResult & { error?: string };
    if (!response.ok) throw new Error(`control ${verb}${app ? ` ${app}` : ''} failed: ${body.error}`);
    return body;
  };
  return {
    stopApp: (app) => call('stopApp', app),
    killApp: (app) => call('killApp', app),
    startApp: (app) => call('startApp', app),
    stopKafka: () => call('stopKafka'),
    startKafka: () => call('startKafka'),
    stopConnect: () => call('stopConnect'),
    startConnect: () => call('startConnect'),
    startGatewayReplica: () => call('startGatewayReplica'),
    stopGatewayReplica: () => call('stopGatewayReplica'),
    startServiceReplicas: () => call('startServiceReplicas'),
    stopServiceReplicas: () => call('stopServiceReplicas'),
  };
}
