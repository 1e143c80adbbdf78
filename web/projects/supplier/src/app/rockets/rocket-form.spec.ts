import { HttpErrorResponse } from '@angular/common/http';
import { Rocket } from '@astro/shared';
import { deactivationProblem, rocketChanges, toRocket } from './rocket-form';

const rocket: Rocket = {
  id: 'rocket-1', agency_id: 'agency-1', name: 'Selene', model: 'S2', capacity: 6, range: 'moon', active: true,
  created_at: '2026-01-01T00:00:00Z',
};

describe('toRocket', () => {
  it('trims the names and reads the seats as a number', () => {
    expect(toRocket({ name: ' Selene ', model: ' S2', capacity: '6', range: 'moon' })).toEqual({
      rocket: { name: 'Selene', model: 'S2', capacity: 6, range: 'moon' },
    });
  });

  it('refuses empty names, fractions and zero seats, and markup in names', () => {
    for (const bad of [{ name: ' ' }, { model: '' }, { capacity: 2.5 }, { capacity: 0 }, { capacity: '' }]) {
      expect(toRocket({ name: 'Selene', model: 'S2', capacity: 6, range: 'moon', ...bad })).toEqual({
        problem: 'Enter a name, a model and a whole number of seats.',
      });
    }
    expect(toRocket({ name: 'Selene', model: 'S2', capacity: 1_001, range: 'moon' })).toEqual({
      problem: 'A rocket has at most 1,000 seats.',
    });
    expect(toRocket({ name: '<b>Selene</b>', model: 'S2', capacity: 6, range: 'moon' })).toEqual({
      problem: expect.stringContaining('U+003C'),
    });
  });
});

describe('rocketChanges', () => {
  it('sends only the fields that changed', () => {
    expect(rocketChanges(rocket, { name: 'Selene', model: 'S3', capacity: 8, range: 'moon' })).toEqual({ model: 'S3', capacity: 8 });
  });

  it('is null when nothing changed', () => {
    expect(rocketChanges(rocket, { name: 'Selene', model: 'S2', capacity: 6, range: 'moon' })).toBeNull();
  });
});

describe('deactivationProblem', () => {
  it('explains a rocket that still has launches to fly', () => {
    const error = new HttpErrorResponse({ status: 409, error: { code: 'rocket_has_future_launches', message: 'has launches' } });
    expect(deactivationProblem(rocket, error)).toBe(
      'Selene still has launches that are not over. Deactivate it once each has launched, failed or been aborted.',
    );
  });

  it('passes any other refusal through', () => {
    const error = new HttpErrorResponse({ status: 404, error: { code: 'not_found', message: 'no such rocket' } });
    expect(deactivationProblem(rocket, error)).toBe('no such rocket');
  });
});
