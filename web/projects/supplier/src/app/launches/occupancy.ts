import { Launch, formatPercent } from '@astro/shared';

type Seats = Pick<Launch, 'seats_sold' | 'seats_free' | 'capacity' | 'minimum_passengers' | 'occupancy_percent'>;

/** Seats sold against the launch's minimum, as the agency reads them. */
export interface Occupancy {
  sold: number;
  free: number;
  minimum: number;
  capacity: number;
  /** "66.7 %" */
  percent: string;
  /** Seats still to sell before the minimum is reached; 0 once it is. */
  toMinimum: number;
  /** "Minimum of 3 reached" or "2 more to reach the minimum of 3". */
  minimumText: string;
}

export function occupancyOf(launch: Seats): Occupancy {
  const toMinimum = Math.max(0, launch.minimum_passengers - launch.seats_sold);
  return {
    sold: launch.seats_sold,
    free: launch.seats_free,
    minimum: launch.minimum_passengers,
    capacity: launch.capacity,
    percent: formatPercent(launch.occupancy_percent),
    toMinimum,
    minimumText:
      toMinimum === 0
        ? `Minimum of ${launch.minimum_passengers} reached`
        : `${toMinimum} more to reach the minimum of ${launch.minimum_passengers}`,
  };
}
