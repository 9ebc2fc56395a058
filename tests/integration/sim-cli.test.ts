import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../bench/lib.ts';

const run = promisify(execFile);
const sim = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'scripts/sim.ts', ...args], { cwd: ROOT });

describe('npm run sim -- --json', () => {
  it('reports every policy of a profile as means over the seeds, with the spread, and the ETA', async () => {
    const { stdout } = await sim('--profile', 'demo', '--seeds', '1,2', '--days', '2', '--json');
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ profile: 'demo', days: 2, seeds: [1, 2] });
    expect(report.policies.map((p: { name: string }) => p.name)).toEqual([
      'hallq',
      'fifo-per-service',
      'strict-priority',
    ]);
    for (const p of report.policies) {
      for (const field of ['withinTargetPct', 'vipP90Wait', 'elderlyP90Wait', 'maxWait', 'leftPct'])
        expect(typeof p[field]).toBe('number');
      expect(p.spread.withinTargetPct).toEqual({
        sd: expect.any(Number),
        min: expect.any(Number),
        max: expect.any(Number),
      });
    }
    for (const field of ['mae', 'naiveMae', 'coverage80']) expect(typeof report.eta[field]).toBe('number');
  }, 60_000);

  it('reports every profile when none is named', async () => {
    const { stdout } = await sim('--seeds', '3', '--days', '1', '--json');
    const report = JSON.parse(stdout);
    expect(report.seeds).toEqual([3]);
    expect(report.profiles.map((p: { profile: string }) => p.profile)).toEqual(['demo', 'saturday', 'lunch']);
  }, 60_000);

  it('refuses an unknown profile or bad seeds with a message and exit code 1', async () => {
    await expect(sim('--profile', 'sunday', '--json')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('unknown profile sunday'),
    });
    await expect(sim('--seeds', 'many')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('--seeds'),
    });
  }, 60_000);
});
