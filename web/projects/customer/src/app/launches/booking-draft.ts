import { MAX_SEATS, Passenger, ageProblem, looksLikeEmail, phoneProblem } from '@astro/shared';

export function emptyPassenger(): Passenger {
  return { name: '', email: '', phone: '', age: 30 };
}

/** What is wrong with a passenger list before it is sent, one line per problem. */
export function passengerProblems(passengers: Passenger[], freeSeats: number): string[] {
  const problems: string[] = [];
  if (passengers.length < 1 || passengers.length > MAX_SEATS) {
    problems.push(`Book 1 to ${MAX_SEATS} seats.`);
  }
  if (passengers.length > freeSeats) {
    problems.push(`Only ${freeSeats} seats are free.`);
  }
  passengers.forEach((passenger, index) => {
    const who = `Passenger ${index + 1}`;
    if (!passenger.name.trim()) problems.push(`${who}: enter a name.`);
    if (!looksLikeEmail(passenger.email)) problems.push(`${who}: enter a valid email.`);
    const phone = phoneProblem(passenger.phone);
    if (phone) problems.push(`${who}: ${phone}`);
    const age = ageProblem(Number(passenger.age));
    if (age) problems.push(`${who}: ${age}`);
  });
  return problems;
}

/**
 * One idempotency key per distinct booking request: pressing "Book" again after a lost answer
 * sends the same key (so the server returns the first booking), while changing the request gets a
 * new one.
 */
export class IdempotencyKeys {
  private request = '';
  private key = '';

  constructor(private readonly newKey: () => string = () => crypto.randomUUID()) {}

  keyFor(launchId: string, passengers: Passenger[]): string {
    const request = JSON.stringify([launchId, passengers]);
    if (request !== this.request) {
      this.request = request;
      this.key = this.newKey();
    }
    return this.key;
  }
}
