import { LaunchStatus } from '@astro/shared';
import { LaunchAction, launchActions, opensForm, toStatusRequest } from './launch-actions';

const launch = (status: LaunchStatus, allowed: LaunchStatus[]) => ({ status, allowed_transitions: allowed, seats_sold: 3 });
const actionFor = (status: LaunchStatus, allowed: LaunchStatus[], to: LaunchStatus): LaunchAction => {
  const action = launchActions(launch(status, allowed)).find((candidate) => candidate.status === to);
  if (!action) throw new Error(`no action to ${to}`);
  return action;
};
const now = new Date('2026-12-03T12:00:00Z');

describe('launchActions', () => {
  it('offers exactly what the launch allows, forward first and aborting last', () => {
    const actions = launchActions(launch('scheduled', ['aborted', 'delayed', 'confirmed']));
    expect(actions.map((action) => action.label)).toEqual(['Confirm', 'Delay…', 'Abort…']);
    expect(launchActions(launch('launched', []))).toEqual([]);
  });

  it('says "back to" when a delayed launch returns', () => {
    const actions = launchActions(launch('delayed', ['scheduled', 'confirmed', 'aborted']));
    expect(actions.map((action) => action.label)).toEqual(['Back to confirmed', 'Back to scheduled', 'Abort…']);
  });

  it('asks a delay for a date, an abort for a reason, and the final changes to be confirmed', () => {
    const actions = launchActions(launch('confirmed', ['delayed', 'launched', 'failed', 'aborted']));
    expect(actions.map((action) => [action.status, action.asksForDate, action.reason, opensForm(action)])).toEqual([
      ['delayed', true, 'optional', true],
      ['launched', false, 'none', true],
      ['failed', false, 'optional', true],
      ['aborted', false, 'required', true],
    ]);
    expect(actions[3].warning).toContain('all 3 sold seats');
    expect(opensForm(actionFor('scheduled', ['confirmed'], 'confirmed'))).toBe(false);
  });
});

describe('toStatusRequest', () => {
  const delay = actionFor('confirmed', ['delayed'], 'delayed');
  const abort = actionFor('confirmed', ['aborted'], 'aborted');
  const confirm = actionFor('scheduled', ['confirmed'], 'confirmed');

  it('sends a delay with its new date in UTC and the reason when given', () => {
    expect(toStatusRequest(delay, { launch_at_local: '2027-05-01T09:30', reason: ' weather ' }, now)).toEqual({
      request: { status: 'delayed', launch_at: new Date('2027-05-01T09:30').toISOString(), reason: 'weather' },
    });
    expect(toStatusRequest(delay, { launch_at_local: '2027-05-01T09:30', reason: '' }, now)).toEqual({
      request: { status: 'delayed', launch_at: new Date('2027-05-01T09:30').toISOString() },
    });
  });

  it('refuses a delay without a date or to a past one', () => {
    expect(toStatusRequest(delay, { launch_at_local: '', reason: '' }, now)).toEqual({
      problems: ['Enter the new launch date and time.'],
    });
    expect(toStatusRequest(delay, { launch_at_local: '2026-01-01T00:00', reason: '' }, now)).toEqual({
      problems: ['The new launch date must be in the future.'],
    });
  });

  it('asks an abort for a reason of plain text up to 500 characters', () => {
    expect(toStatusRequest(abort, { launch_at_local: '', reason: '  ' }, now)).toEqual({ problems: ['Give the travellers a reason.'] });
    expect(toStatusRequest(abort, { launch_at_local: '', reason: 'x'.repeat(501) }, now)).toEqual({
      problems: ['Keep the reason to 500 characters.'],
    });
    expect(toStatusRequest(abort, { launch_at_local: '', reason: 'range\u0000hold' }, now)).toEqual({
      problems: [expect.stringContaining('U+0000')],
    });
    expect(toStatusRequest(abort, { launch_at_local: '', reason: 'range safety hold' }, now)).toEqual({
      request: { status: 'aborted', reason: 'range safety hold' },
    });
  });

  it('sends a confirmation with nothing else, whatever was typed', () => {
    expect(toStatusRequest(confirm, { launch_at_local: '2027-01-01T00:00', reason: 'ignored' }, now)).toEqual({
      request: { status: 'confirmed' },
    });
  });
});
