import { HttpErrorResponse } from '@angular/common/http';

/** The JSON problem body every API answers a 4xx/5xx with. */
export interface Problem {
  code: string;
  message: string;
  request_id?: string;
  free_seats?: number;
}

function isProblem(body: unknown): body is Problem {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as Problem).code === 'string' &&
    typeof (body as Problem).message === 'string'
  );
}

/** Turns any failed call into one sentence for the user, with the request id support can look up. */
export function describeError(error: unknown): string {
  if (error instanceof HttpErrorResponse) {
    if (error.status === 0) {
      return 'The server cannot be reached. Check your connection and try again.';
    }
    if (isProblem(error.error)) {
      const reference = error.error.request_id ? ` (reference ${error.error.request_id})` : '';
      return `${error.error.message}${reference}`;
    }
    return `The server answered ${error.status} ${error.statusText}.`.replace(' .', '.');
  }
  return error instanceof Error ? error.message : 'Something went wrong.';
}

/** The problem code of a failed call, if the server sent one. */
export function problemCode(error: unknown): string | undefined {
  return error instanceof HttpErrorResponse && isProblem(error.error) ? error.error.code : undefined;
}
