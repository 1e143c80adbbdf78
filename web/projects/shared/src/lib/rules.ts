// Input rules the servers also enforce, checked here too so that a person sees the problem before
// sending. The servers stay the authority.

/** At least 10 characters with a letter and a digit (the system API's rule). */
export function passwordProblem(password: string): string | null {
  if (password.length < 10) {
    return 'Use at least 10 characters.';
  }
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) {
    return 'Use at least one letter and one digit.';
  }
  return null;
}

export const MIN_PASSENGER_AGE = 18;
/** Passengers must be younger than this on the launch date. */
export const MAX_PASSENGER_AGE_EXCLUSIVE = 70;
export const MAX_SEATS = 4;
export const MAX_SEATS_VIP = 6;

export function ageProblem(age: number): string | null {
  if (!Number.isInteger(age)) {
    return 'Age must be a whole number.';
  }
  if (age < MIN_PASSENGER_AGE || age >= MAX_PASSENGER_AGE_EXCLUSIVE) {
    return `Passengers must be ${MIN_PASSENGER_AGE} to ${MAX_PASSENGER_AGE_EXCLUSIVE - 1} years old.`;
  }
  return null;
}
