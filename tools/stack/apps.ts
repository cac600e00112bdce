// Pid files of the apps `npm start` runs, so that `stack:down` also stops apps a killed launcher left behind.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { StackConfig } from './config';
import { runningPid, stopProcessGroup } from './process/processes';

/** appsRunDir holds one `<instance>.pid` per running app instance (`user.pid`, `user.2.pid`). */
export const appsRunDir = (config: StackConfig): string => join(config.runDir, 'apps');

/** appPidFile is where the pid of an app instance (`user`, `user.2`) is recorded. */
export function appPidFile(config: StackConfig, instance: string): string {
  mkdirSync(appsRunDir(config), { recursive: true });
  return join(appsRunDir(config), `${instance}.pid`);
}

/** appOfInstance is the app an instance name belongs to: `user.2` -> `user`. */
export const appOfInstance = (instance: string): string => instance.split('.', 1)[0] ?? instance;

/** appEntry is the built entry point of an app; its path also identifies the app's process. */
export const appEntry = (config: StackConfig, app: string): string =>
  join(config.repoRoot, 'apps', app, 'dist', 'main.js');

/**
 * stopApps stops every recorded app that still runs, all at once: these are leftovers of a launcher that was
 * killed (the launcher itself stops its apps in reverse start order).
 */
export async function stopApps(config: StackConfig, timeoutMs = 15_000): Promise<string[]> {
  const dir = appsRunDir(config);
  if (!existsSync(dir)) return [];
  const instances = readdirSync(dir)
    .filter((file) => file.endsWith('.pid'))
    .map((file) => file.slice(0, -'.pid'.length));
  const stopped: string[] = [];
  await Promise.all(
    instances.map(async (instance) => {
      const pid = runningPid(appPidFile(config, instance), appEntry(config, appOfInstance(instance)));
      if (pid === undefined) return;
      await stopProcessGroup(pid, { signal: 'SIGTERM', timeoutMs });
      stopped.push(instance);
    }),
  );
  return stopped;
}
