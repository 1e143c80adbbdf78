import { HttpErrorResponse } from '@angular/common/http';
import { describeError, problemCode } from './problem';

describe('describeError', () => {
  it('shows the problem message with the request id', () => {
    const error = new HttpErrorResponse({
      status: 409,
      error: { code: 'not_enough_seats', message: 'Only 1 seat is free', request_id: 'req-1', free_seats: 1 },
    });
    expect(describeError(error)).toBe('Only 1 seat is free (reference req-1)');
    expect(problemCode(error)).toBe('not_enough_seats');
  });

  it('says when the server cannot be reached', () => {
    expect(describeError(new HttpErrorResponse({ status: 0 }))).toMatch(/cannot be reached/);
  });

  it('falls back to the status when the body is not a problem', () => {
    const error = new HttpErrorResponse({ status: 502, statusText: 'Bad Gateway', error: '<html>' });
    expect(describeError(error)).toBe('The server answered 502 Bad Gateway.');
    expect(problemCode(error)).toBeUndefined();
  });

  it('describes plain errors too', () => {
    expect(describeError(new Error('Not signed in.'))).toBe('Not signed in.');
    expect(describeError('???')).toBe('Something went wrong.');
  });
});
