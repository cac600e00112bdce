// Pid files of the apps `npm start` runs, so that `stack:down` also stops apps a killed launcher left behind.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { StackConfig } from './config';
import { runningPid, stopProcessGroup } from './process/processes';

/** appsRunDir holds one `<app>.pid` per running app. */
export const appsRunDir = (config: StackConfig): string => join(config.runDir, 'apps');

/** appPidFile is where an app's pid is recorded. */
export function appPidFile(config: StackConfig, app: string): string {
  mkdirSync(appsRunDir(config), { recursive: true });
  return join(appsRunDir(config), `${app}.pid`);
}

/** appEntry is the built entry point of an app; its path also identifies the app's process. */
export const appEntry = (config: StackConfig, app: string): string => join(config.repoRoot, 'apps', app, 'dist', 'main.js');

/**
 * stopApps stops every recorded app that still runs, all at once: these are leftovers of a launcher that was
 * killed (the launcher itself stops its apps in reverse start order).
 */
export async function stopApps(config: StackConfig, timeoutMs = 15_000): Promise<string[]> {
  const dir = appsRunDir(config);
  if (!existsSync(dir)) return [];
  const apps = readdirSync(dir)
    .filter((file) => file.endsWith('.pid'))
    .map((file) => file.slice(0, -'.pid'.length));
  const stopped: string[] = [];
  await Promise.all(
    apps.map(async (app) => {
      const pid = runningPid(appPidFile(config, app), appEntry(config, app));
      if (pid === undefined) return;
      await stopProcessGroup(pid, { signal: 'SIGTERM', timeoutMs });
      stopped.push(app);
    }),
  );
  return stopped;
}
