import { Rocket } from '@astro/shared';
import { LaunchFormValue, emptyLaunchForm, reachableDestinations, schedulableRockets, toLaunchRequest } from './launch-form';

const moonRocket: Rocket = {
  id: 'rocket-1', agency_id: 'agency-1', name: 'Selene', model: 'S2', capacity: 6, range: 'moon', active: true,
  created_at: '2026-01-01T00:00:00Z',
};
const now = new Date('2026-11-22T12:00:00Z');
const valid: LaunchFormValue = {
  rocket_id: 'rocket-1', mission_name: ' Artemis Tourist ', spaceport: 'Kourou', destination: 'moon',
  launch_at_local: '2027-03-01T09:30', price: '1,250.50', minimum_passengers: 2,
};

describe('reachableDestinations', () => {
  it('lists every destination up to the rocket range', () => {
    expect(reachableDestinations(moonRocket)).toEqual(['suborbital', 'low_earth_orbit', 'moon']);
    expect(reachableDestinations(undefined)).toEqual([]);
  });
});

describe('toLaunchRequest', () => {
  it('turns the form into the admin API request', () => {
    const result = toLaunchRequest(valid, [moonRocket], now);
    expect(result).toEqual({
      request: {
        rocket_id: 'rocket-1',
        mission_name: 'Artemis Tourist',
        spaceport: 'Kourou',
        destination: 'moon',
        launch_at: new Date('2027-03-01T09:30').toISOString(),
        price_per_seat_cents: 125_050,
        minimum_passengers: 2,
      },
    });
  });

  it('lists every problem at once', () => {
    const result = toLaunchRequest(
      { ...valid, destination: 'mars', launch_at_local: '2026-01-01T00:00', price: 'free', minimum_passengers: 7 },
      [moonRocket],
      now,
    );
    expect(result).toEqual({
      problems: [
        'Selene cannot reach that destination.',
        'The launch must be in the future.',
        'Enter a seat price above zero, like 1250 or 1250.50.',
        'The minimum number of passengers must be 1 to 6.',
      ],
    });
  });

  it('asks for a rocket, names and a date', () => {
    const result = toLaunchRequest({ ...valid, rocket_id: '', mission_name: ' ', spaceport: '', launch_at_local: '' }, [moonRocket], now);
    expect(result).toEqual({
      problems: ['Choose a rocket.', 'Enter a mission name.', 'Enter a spaceport.', 'Enter the launch date and time.'],
    });
  });
});

describe('emptyLaunchForm', () => {
  it('clears everything typed and keeps the chosen rocket', () => {
    expect(emptyLaunchForm('rocket-1')).toEqual({
      rocket_id: 'rocket-1', mission_name: '', spaceport: '', destination: 'suborbital', launch_at_local: '', price: '',
      minimum_passengers: 1,
    });
  });
});

describe('schedulableRockets', () => {
  it('leaves deactivated rockets out', () => {
    const retired = { ...moonRocket, id: 'rocket-2', active: false };
    expect(schedulableRockets([moonRocket, retired])).toEqual([moonRocket]);
  });
});
