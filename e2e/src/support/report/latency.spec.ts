import { describe, expect, it } from 'vitest';
import { latencyTable, percentile, recoveryTable, type LatencySample } from './latency';

describe('percentile', () => {
  it('is the nearest rank', () => {
    const values = Array.from({ length: 20 }, (_, i) => (i + 1) * 10);
    expect(percentile(values, 50)).toBe(100);
    expect(percentile(values, 95)).toBe(190);
    expect(percentile(values, 100)).toBe(200);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('latencyTable', () => {
  it('shows each saga with samples, undisturbed runs and runs under faults apart', () => {
    const sample = (saga: LatencySample['saga'], ms: number, undisturbed = true): LatencySample => ({
      saga,
      ms,
      outcome: 'X',
      undisturbed,
    });
    const table = latencyTable([
      sample('sign-up', 100),
      sample('sign-up', 300),
      sample('publish', 50),
      sample('sign-up', 9000, false),
    ]);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^saga\s+samples\s+p50 ms\s+p95 ms\s+max ms\s+conditions$/);
    expect(lines.slice(2).map((line) => line.trim().split(/\s{2,}/))).toEqual([
      ['sign-up', '2', '100', '300', '300', 'no fault'],
      ['publish', '1', '50', '50', '50', 'no fault'],
      ['sign-up', '1', '9000', '9000', '9000', 'during faults'],
    ]);
  });

  it('says so when nothing was measured', () => {
    expect(latencyTable([])).toBe('no saga latency was measured');
  });
});

describe('recoveryTable', () => {
  it('shows one row per measured recovery, in seconds', () => {
    const lines = recoveryTable([
      { fault: 'SIGKILL blog, restarted 1 s later', from: 'SIGKILL', ms: 7_240 },
      { fault: 'Kafka down 120 s', from: 'Kafka back', ms: 81_000 },
    ]).split('\n');
    expect(lines[0]).toMatch(/^fault\s+counted from\s+recovery s$/);
    expect(lines.slice(2).map((line) => line.trim().split(/\s{2,}/))).toEqual([
      ['SIGKILL blog, restarted 1 s later', 'SIGKILL', '7.2'],
      ['Kafka down 120 s', 'Kafka back', '81.0'],
    ]);
  });

  it('says so when nothing was measured', () => {
    expect(recoveryTable([])).toBe('no recovery was measured');
  });
});
