import { Launch, LaunchStatus, StatusChangeRequest, plainTextProblem } from '@astro/shared';

/** The admin API refuses longer reasons. */
export const MAX_REASON_LENGTH = 500;

/** One status change an agency may make now, and what it must give before it is sent. */
export interface LaunchAction {
  status: LaunchStatus;
  /** The button in the launch's actions ("Delay…" when it opens a form). */
  label: string;
  /** The button that sends it from its form. */
  submitLabel: string;
  /** Delay: a new launch date, in the future. */
  asksForDate: boolean;
  reason: 'required' | 'optional' | 'none';
  /** What the agency reads before sending a change that others feel or that cannot be undone. */
  warning: string | null;
}

type LaunchState = Pick<Launch, 'status' | 'allowed_transitions' | 'seats_sold'>;

const FINAL = 'This ends the launch and cannot be undone; the agency and every traveller are emailed.';

function actionTo(status: LaunchStatus, launch: LaunchState): LaunchAction {
  const plain = { status, asksForDate: false, reason: 'none' as const, warning: null };
  switch (status) {
    case 'scheduled':
      return { ...plain, label: 'Back to scheduled', submitLabel: 'Back to scheduled' };
    case 'confirmed':
      return launch.status === 'delayed'
        ? { ...plain, label: 'Back to confirmed', submitLabel: 'Back to confirmed' }
        : { ...plain, label: 'Confirm', submitLabel: 'Confirm' };
    case 'delayed':
      return {
        ...plain,
        label: 'Delay…',
        submitLabel: 'Delay the launch',
        asksForDate: true,
        reason: 'optional',
        warning: 'The bookings stay; every traveller is emailed the new date.',
      };
    case 'launched':
      return { ...plain, label: 'Mark launched…', submitLabel: 'Mark launched', warning: FINAL };
    case 'failed':
      return { ...plain, label: 'Mark failed…', submitLabel: 'Mark failed', reason: 'optional', warning: FINAL };
    case 'aborted':
      return {
        ...plain,
        label: 'Abort…',
        submitLabel: 'Abort the launch',
        reason: 'required',
        warning: `Aborting cancels all ${launch.seats_sold} sold seats with a full refund and emails every traveller. It cannot be undone.`,
      };
  }
}

/** The order the actions are offered in: forward first, aborting last. */
const ORDER: readonly LaunchStatus[] = ['confirmed', 'scheduled', 'delayed', 'launched', 'failed', 'aborted'];

/** The actions the launch's `allowed_transitions` permit, each with what it asks for. */
export function launchActions(launch: LaunchState): LaunchAction[] {
  return ORDER.filter((status) => launch.allowed_transitions.includes(status)).map((status) => actionTo(status, launch));
}

/** Whether the action opens a form (date, reason or a warning to read) instead of being sent at once. */
export function opensForm(action: LaunchAction): boolean {
  return action.asksForDate || action.reason !== 'none' || action.warning !== null;
}

/** The action's form as typed: a `datetime-local` value in the user's zone, and free text. */
export interface ActionFormValue {
  launch_at_local: string;
  reason: string;
}

export type StatusRequestResult = { request: StatusChangeRequest } | { problems: string[] };

/** Checks the form with the admin API's rules and turns it into the status request. */
export function toStatusRequest(action: LaunchAction, value: ActionFormValue, now: Date): StatusRequestResult {
  const problems: string[] = [];
  const request: StatusChangeRequest = { status: action.status };
  if (action.asksForDate) {
    const launchAt = new Date(value.launch_at_local);
    if (!value.launch_at_local || Number.isNaN(launchAt.getTime())) {
      problems.push('Enter the new launch date and time.');
    } else if (launchAt <= now) {
      problems.push('The new launch date must be in the future.');
    } else {
      request.launch_at = launchAt.toISOString();
    }
  }
  const reason = value.reason.trim();
  if (action.reason === 'required' && !reason) {
    problems.push('Give the travellers a reason.');
  }
  if (action.reason !== 'none' && reason) {
    const textProblem = plainTextProblem('The reason', reason);
    if (textProblem) problems.push(textProblem);
    if ([...reason].length > MAX_REASON_LENGTH) problems.push(`Keep the reason to ${MAX_REASON_LENGTH} characters.`);
    request.reason = reason;
  }
  return problems.length > 0 ? { problems } : { request };
}
