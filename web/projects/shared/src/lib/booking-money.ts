import { formatCents } from './format';
import { AdminBooking, Launch } from './models';

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

/** Money collected on a launch: what travellers paid, what was refunded, and what stays. */
export interface MoneyCollected {
  paid: string;
  refunds: string;
  revenue: string;
}

export function moneyOf(launch: Pick<Launch, 'revenue_cents' | 'refunds_cents'>): MoneyCollected {
  return {
    paid: formatCents(launch.revenue_cents + launch.refunds_cents),
    refunds: formatCents(launch.refunds_cents),
    revenue: formatCents(launch.revenue_cents),
  };
}

/** The money of several launches together: paid, refunded and what stays, across all of them. */
export function moneyOfAll(launches: Pick<Launch, 'revenue_cents' | 'refunds_cents'>[]): MoneyCollected {
  return moneyOf(
    launches.reduce(
      (sums, launch) => ({
        revenue_cents: sums.revenue_cents + launch.revenue_cents,
        refunds_cents: sums.refunds_cents + launch.refunds_cents,
      }),
      { revenue_cents: 0, refunds_cents: 0 },
    ),
  );
}
