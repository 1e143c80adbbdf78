import { describeCancellation, describeRefund, offersCancel } from './refund';

describe('describeRefund', () => {
  it('names the amount and percentage of an early cancellation', () => {
    const text = describeRefund({ booking_id: 'b', refund_percent: 90, refund_cents: 180_000, seats_released: true, cancellable: true });
    expect(text).toBe('Cancelling now refunds $1,800.00 (90 %); the seats go back on sale.');
  });

  it('warns that a late cancellation refunds nothing', () => {
    const text = describeRefund({ booking_id: 'b', refund_percent: 0, refund_cents: 0, seats_released: false, cancellable: true });
    expect(text).toMatch(/refunds nothing/);
  });
});

describe('describeCancellation', () => {
  const base = { cancelled_at: '2026-11-22T12:00:00Z', refund_percent: 100, refund_cents: 200_000, seats_released: true };

  it('tells an abort with its reason apart from a cancellation', () => {
    expect(describeCancellation({ ...base, cause: 'launch_aborted', reason: 'engine anomaly' })).toBe(
      'Launch aborted: engine anomaly; refund $2,000.00 (100 %)',
    );
    expect(describeCancellation({ ...base, cause: 'traveler', refund_percent: 70, refund_cents: 140_000 })).toBe(
      'Cancelled; refund $1,400.00 (70 %)',
    );
  });
});

describe('offersCancel', () => {
  it('offers to cancel a confirmed booking while its launch is not over', () => {
    expect(offersCancel({ status: 'confirmed', launch_status: 'delayed' })).toBe(true);
    expect(offersCancel({ status: 'confirmed', launch_status: 'launched' })).toBe(false);
    expect(offersCancel({ status: 'cancelled', launch_status: 'scheduled' })).toBe(false);
  });
});
