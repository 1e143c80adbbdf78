import { occupancyOf } from './occupancy';

describe('occupancyOf', () => {
  it('counts what is left to reach the minimum', () => {
    const occupancy = occupancyOf({ seats_sold: 1, seats_free: 5, capacity: 6, minimum_passengers: 3, occupancy_percent: 16.7 });
    expect(occupancy).toEqual({
      sold: 1,
      free: 5,
      minimum: 3,
      capacity: 6,
      percent: '16.7 %',
      toMinimum: 2,
      minimumText: '2 more to reach the minimum of 3',
    });
  });

  it('says when the minimum is reached, and never counts below zero', () => {
    const occupancy = occupancyOf({ seats_sold: 5, seats_free: 1, capacity: 6, minimum_passengers: 3, occupancy_percent: 83.3 });
    expect(occupancy.toMinimum).toBe(0);
    expect(occupancy.minimumText).toBe('Minimum of 3 reached');
  });
});
