// Human output: tables (cli-table3, borderless) and durations; --json prints the objects instead.
import Table from 'cli-table3';

/** table renders rows under a header, without borders (easy to grep). */
export function table(head: string[], rows: (string | number | undefined)[][]): string {
  const t = new Table({
    head,
    style: { head: [], border: [], compact: true, 'padding-left': 0, 'padding-right': 2 },
    chars: {
      top: '',
      'top-mid': '',
      'top-left': '',
      'top-right': '',
      bottom: '',
      'bottom-mid': '',
      'bottom-left': '',
      'bottom-right': '',
      left: '',
      'left-mid': '',
      mid: '',
      'mid-mid': '',
      right: '',
      'right-mid': '',
      middle: '',
    },
  });
  for (const row of rows) t.push(row.map((cell) => (cell === undefined ? '-' : String(cell))));
  return t
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}

/** ago renders how long ago an epoch-ms instant was. */
export function ago(at: number, now = Date.now()): string {
  if (!at) return '-';
  return `${duration(now - at)} ago`;
}

/** duration renders milliseconds as 850ms, 12s, 3m 4s, 2h 5m, 3d 4h. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}

/** iso renders epoch ms as an ISO time, or '-' when unknown. */
export const iso = (at: number): string => (at ? new Date(at).toISOString() : '-');
