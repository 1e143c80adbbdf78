import { Passenger } from '@astro/shared';
import { IdempotencyKeys, emptyPassenger, passengerProblems } from './booking-draft';

const ada: Passenger = { name: 'Ada', email: 'ada@astro.test', phone: '+1 555 0100', age: 35 };

describe('passengerProblems', () => {
  it('accepts complete passengers within the free seats', () => {
    expect(passengerProblems([ada, { ...ada, name: 'Grace' }], 2)).toEqual([]);
  });

  it('names each incomplete passenger', () => {
    expect(passengerProblems([ada, emptyPassenger()], 5)).toEqual([
      'Passenger 2: enter a name.',
      'Passenger 2: enter a valid email.',
      'Passenger 2: Enter a phone number of 6 to 20 digits (with + - ( ) . and spaces if you like).',
    ]);
    expect(passengerProblems([{ ...ada, phone: 'call me' }], 1)).toEqual([
      'Passenger 1: Enter a phone number of 6 to 20 digits (with + - ( ) . and spaces if you like).',
    ]);
  });

  it('refuses more seats than allowed or free, and ages out of range', () => {
    expect(passengerProblems([ada, ada, ada, ada, ada], 10)).toContain('Book 1 to 4 seats.');
    expect(passengerProblems([ada, ada], 1)).toContain('Only 1 seats are free.');
    expect(passengerProblems([{ ...ada, age: 70 }], 1)).toEqual(['Passenger 1: Passengers must be 18 to 69 years old.']);
    expect(passengerProblems([], 1)).toEqual(['Book 1 to 4 seats.']);
  });
});

describe('IdempotencyKeys', () => {
  it('reuses the key while the request is unchanged and makes a new one when it changes', () => {
    let counter = 0;
    const keys = new IdempotencyKeys(() => `key-${++counter}`);
    expect(keys.keyFor('launch-1', [ada])).toBe('key-1');
    expect(keys.keyFor('launch-1', [{ ...ada }])).toBe('key-1');
    expect(keys.keyFor('launch-1', [{ ...ada, age: 36 }])).toBe('key-2');
    expect(keys.keyFor('launch-2', [{ ...ada, age: 36 }])).toBe('key-3');
  });
});
