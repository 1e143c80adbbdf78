import { BookingStatusChange, LaunchStatus } from './models';

const statusNames: Record<LaunchStatus, string> = {
  scheduled: 'Scheduled',
  confirmed: 'Confirmed',
  delayed: 'Delayed',
  aborted: 'Aborted',
  launched: 'Launched',
  failed: 'Failed',
};

/** `launched`, `failed` and `aborted` end a launch's lifecycle. */
export function isFinalStatus(status: LaunchStatus): boolean {
  return status === 'launched' || status === 'failed' || status === 'aborted';
}

/** Seats sell only while a launch is scheduled or confirmed (a delayed one sells again once it is back). */
export function isBookableStatus(status: LaunchStatus): boolean {
  return status === 'scheduled' || status === 'confirmed';
}

/** A status as people read it: "Delayed". */
export function statusName(status: LaunchStatus): string {
  return statusNames[status] ?? status;
}

/** Reasons the system writes itself, as codes, said in words. */
const reasonNames: Record<string, string> = {
  insufficient_passengers: 'not enough passengers booked by the decision point',
};

export function reasonText(reason: string): string {
  return reasonNames[reason] ?? reason;
}

/** One line of a status history: "Confirmed → Delayed: weather", or "Scheduled" for the first. */
export function describeStatusChange(change: BookingStatusChange): string {
  const move = change.from ? `${statusName(change.from)} → ${statusName(change.to)}` : statusName(change.to);
  return change.reason ? `${move}: ${reasonText(change.reason)}` : move;
}
