import { NewLaunch, REACHES, Reach, Rocket, parseDollars } from '@astro/shared';

/** The schedule-a-launch form as typed: text and a `datetime-local` value in the user's zone. */
export interface LaunchFormValue {
  rocket_id: string;
  mission_name: string;
  spaceport: string;
  destination: Reach;
  launch_at_local: string;
  price: string;
  minimum_passengers: number;
}

/** The form before anything is typed, and again once a launch is scheduled (the rocket stays chosen). */
export function emptyLaunchForm(rocketId: string): LaunchFormValue {
  return {
    rocket_id: rocketId,
    mission_name: '',
    spaceport: '',
    destination: 'suborbital',
    launch_at_local: '',
    price: '',
    minimum_passengers: 1,
  };
}

/** Launches fly on active rockets only. */
export function schedulableRockets(rockets: readonly Rocket[]): Rocket[] {
  return rockets.filter((rocket) => rocket.active);
}

export type LaunchFormResult = { request: NewLaunch } | { problems: string[] };

/** Destinations a rocket can reach: everything up to its range. */
export function reachableDestinations(rocket: Rocket | undefined): Reach[] {
  return rocket ? REACHES.slice(0, REACHES.indexOf(rocket.range) + 1) : [];
}

/**
 * Checks the form with the admin API's rules (so the agency sees every problem at once) and turns
 * it into the API request: local time to UTC, dollars to cents.
 */
export function toLaunchRequest(value: LaunchFormValue, rockets: Rocket[], now: Date): LaunchFormResult {
  const problems: string[] = [];
  const rocket = rockets.find((candidate) => candidate.id === value.rocket_id);
  if (!rocket) problems.push('Choose a rocket.');
  if (!value.mission_name.trim()) problems.push('Enter a mission name.');
  if (!value.spaceport.trim()) problems.push('Enter a spaceport.');
  if (rocket && !reachableDestinations(rocket).includes(value.destination)) {
    problems.push(`${rocket.name} cannot reach that destination.`);
  }
  const launchAt = new Date(value.launch_at_local);
  if (!value.launch_at_local || Number.isNaN(launchAt.getTime())) {
    problems.push('Enter the launch date and time.');
  } else if (launchAt <= now) {
    problems.push('The launch must be in the future.');
  }
  const cents = parseDollars(value.price);
  if (cents === null || cents <= 0) problems.push('Enter a seat price above zero, like 1250 or 1250.50.');
  const minimum = Number(value.minimum_passengers);
  if (rocket && (!Number.isInteger(minimum) || minimum < 1 || minimum > rocket.capacity)) {
    problems.push(`The minimum number of passengers must be 1 to ${rocket.capacity}.`);
  }
  if (problems.length > 0) {
    return { problems };
  }
  return {
    request: {
      rocket_id: value.rocket_id,
      mission_name: value.mission_name.trim(),
      spaceport: value.spaceport.trim(),
      destination: value.destination,
      launch_at: launchAt.toISOString(),
      price_per_seat_cents: cents as number,
      minimum_passengers: minimum,
    },
  };
}
