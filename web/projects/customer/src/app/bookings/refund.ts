import { Booking, Cancellation, RefundPreview, formatCents, isFinalStatus } from '@astro/shared';

/** One sentence on what cancelling now gives back, from the server's preview. */
export function describeRefund(preview: RefundPreview): string {
  const amount = `${formatCents(preview.refund_cents)} (${preview.refund_percent} %)`;
  if (preview.refund_cents === 0) {
    return 'Cancelling now refunds nothing: it is less than 3 months before the launch, and the seats stay sold.';
  }
  return `Cancelling now refunds ${amount}; the seats go back on sale.`;
}

/** How a cancelled booking ended, for the bookings table. */
export function describeCancellation(cancellation: Cancellation): string {
  const refund = `refund ${formatCents(cancellation.refund_cents)} (${cancellation.refund_percent} %)`;
  return cancellation.cause === 'launch_aborted'
    ? `Launch aborted${cancellation.reason ? `: ${cancellation.reason}` : ''}; ${refund}`
    : `Cancelled; ${refund}`;
}

/** A confirmed booking can be cancelled until its launch is over (launched, failed or aborted). */
export function offersCancel(booking: Pick<Booking, 'status' | 'launch_status'>): boolean {
  return booking.status === 'confirmed' && !isFinalStatus(booking.launch_status);
}
