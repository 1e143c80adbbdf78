import { JobRun } from '@astro/shared';
import { describeRun, runDuration } from './job-runs';

const run = (changes: Partial<JobRun>): JobRun => ({
  id: 'run-1',
  job: 'minimum-passenger-decision',
  started_at: '2026-12-03T12:00:00.000Z',
  finished_at: '2026-12-03T12:00:00.400Z',
  outcome: 'succeeded',
  units: 3,
  error: null,
  ...changes,
});

describe('describeRun', () => {
  it('says how each outcome ended', () => {
    expect(describeRun(run({}))).toBe('Succeeded: 3 units of work');
    expect(describeRun(run({ units: 1 }))).toBe('Succeeded: 1 unit of work');
    expect(describeRun(run({ outcome: 'failed', error: 'SMTP refused' }))).toBe('Failed: SMTP refused');
    expect(describeRun(run({ outcome: 'failed' }))).toBe('Failed: no error was recorded');
    expect(describeRun(run({ outcome: 'running', finished_at: null }))).toBe('Running');
  });
});

describe('runDuration', () => {
  it('measures a finished run, and nothing while it runs', () => {
    expect(runDuration(run({}))).toBe('0.4 s');
    expect(runDuration(run({ finished_at: '2026-12-03T12:02:05Z' }))).toBe('2 min 5 s');
    expect(runDuration(run({ finished_at: null }))).toBeNull();
  });
});
