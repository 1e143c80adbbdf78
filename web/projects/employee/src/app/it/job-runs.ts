import { JobRun } from '@astro/shared';

/** How a run ended, in one line: "Succeeded: 3 units of work", "Failed: SMTP refused". */
export function describeRun(run: JobRun): string {
  switch (run.outcome) {
    case 'running':
      return 'Running';
    case 'succeeded':
      return `Succeeded: ${run.units} ${run.units === 1 ? 'unit' : 'units'} of work`;
    case 'failed':
      return `Failed: ${run.error ?? 'no error was recorded'}`;
  }
}

/** How long a finished run took, "0.4 s" or "2 min 5 s"; null while it runs. */
export function runDuration(run: JobRun): string | null {
  if (!run.finished_at) return null;
  const millis = Math.max(0, new Date(run.finished_at).getTime() - new Date(run.started_at).getTime());
  if (millis < 60_000) return `${Math.round(millis / 100) / 10} s`;
  const seconds = Math.round(millis / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}
