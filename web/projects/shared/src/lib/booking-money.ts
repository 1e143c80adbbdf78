import { AdminBooking } from './models';

/** What a booking leaves the agency: its total less the refund a cancellation gave back. */
export function netOf(booking: Pick<AdminBooking, 'total_cents' | 'refund_cents'>): number {
  return booking.total_cents - (booking.refund_cents ?? 0);
}

export interface BookingTotals {
  total_cents: number;
  refund_cents: number;
  net_cents: number;
}

/** The sums of a list of bookings: a cancelled booking counts only what was not refunded. */
export function bookingTotals(bookings: Pick<AdminBooking, 'total_cents' | 'refund_cents'>[]): BookingTotals {
  return bookings.reduce<BookingTotals>(
    (sums, booking) => ({
      total_cents: sums.total_cents + booking.total_cents,
      refund_cents: sums.refund_cents + (booking.refund_cents ?? 0),
      net_cents: sums.net_cents + netOf(booking),
    }),
    { total_cents: 0, refund_cents: 0, net_cents: 0 },
  );
}
