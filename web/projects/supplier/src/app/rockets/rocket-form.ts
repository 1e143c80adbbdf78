import { MAX_ROCKET_SEATS, NewRocket, Rocket, RocketChanges, describeError, plainTextProblem, problemCode } from '@astro/shared';

/** The add and edit forms as typed (the seats field may hold a string while typing). */
export interface RocketFormValue {
  name: string;
  model: string;
  capacity: number | string;
  range: NewRocket['range'];
}

export type RocketFormResult = { rocket: NewRocket } | { problem: string };

/** Checks the form as the admin API does (up to its named maximum of seats) and trims it. */
export function toRocket(value: RocketFormValue): RocketFormResult {
  const name = value.name.trim();
  const model = value.model.trim();
  const capacity = Number(value.capacity);
  if (!name || !model || !Number.isInteger(capacity) || capacity < 1) {
    return { problem: 'Enter a name, a model and a whole number of seats.' };
  }
  if (capacity > MAX_ROCKET_SEATS) {
    return { problem: `A rocket has at most ${MAX_ROCKET_SEATS.toLocaleString('en-US')} seats.` };
  }
  const textProblem = plainTextProblem('The name', name) ?? plainTextProblem('The model', model);
  return textProblem ? { problem: textProblem } : { rocket: { name, model, capacity, range: value.range } };
}

/** Only what the agency changed, so that a PATCH leaves the rest alone; null when nothing changed. */
export function rocketChanges(rocket: Rocket, edited: NewRocket): RocketChanges | null {
  const changes: RocketChanges = {};
  if (edited.name !== rocket.name) changes.name = edited.name;
  if (edited.model !== rocket.model) changes.model = edited.model;
  if (edited.capacity !== rocket.capacity) changes.capacity = edited.capacity;
  if (edited.range !== rocket.range) changes.range = edited.range;
  return Object.keys(changes).length > 0 ? changes : null;
}

/** Why a rocket could not be deactivated, in the agency's words when it still has launches to fly. */
export function deactivationProblem(rocket: Rocket, error: unknown): string {
  return problemCode(error) === 'rocket_has_future_launches'
    ? `${rocket.name} still has launches that are not over. Deactivate it once each has launched, failed or been aborted.`
    : describeError(error);
}
