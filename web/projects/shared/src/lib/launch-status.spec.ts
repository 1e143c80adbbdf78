import { describeStatusChange, isBookableStatus, isFinalStatus, statusName } from './launch-status';

describe('describeStatusChange', () => {
  const at = '2026-12-03T12:00:00Z';

  it('names the first status alone and later ones as a move', () => {
    expect(describeStatusChange({ from: null, to: 'scheduled', at, reason: null })).toBe('Scheduled');
    expect(describeStatusChange({ from: 'scheduled', to: 'confirmed', at, reason: null })).toBe('Scheduled → Confirmed');
  });

  it('adds the reason, in words for the codes the scheduler writes', () => {
    expect(describeStatusChange({ from: 'confirmed', to: 'delayed', at, reason: 'weather' })).toBe('Confirmed → Delayed: weather');
    expect(describeStatusChange({ from: 'scheduled', to: 'aborted', at, reason: 'insufficient_passengers' })).toBe(
      'Scheduled → Aborted: not enough passengers booked by the decision point',
    );
  });
});

describe('statusName and isFinalStatus', () => {
  it('names each status and tells the final ones', () => {
    expect(statusName('delayed')).toBe('Delayed');
    expect(['launched', 'failed', 'aborted'].every((status) => isFinalStatus(status as never))).toBe(true);
    expect(['scheduled', 'confirmed', 'delayed'].some((status) => isFinalStatus(status as never))).toBe(false);
  });
});

describe('isBookableStatus', () => {
  it('sells while scheduled or confirmed only', () => {
    expect(['scheduled', 'confirmed'].every((status) => isBookableStatus(status as never))).toBe(true);
    expect(['delayed', 'aborted', 'launched', 'failed'].some((status) => isBookableStatus(status as never))).toBe(false);
  });
});
