import { bookingTotals, moneyOf, moneyOfAll, netOf } from './booking-money';

describe('netOf', () => {
  it('counts a cancelled booking at its total less the refund', () => {
    expect(netOf({ total_cents: 50_000_000, refund_cents: 45_000_000 })).toBe(5_000_000);
  });

  it('counts a confirmed booking at its total', () => {
    expect(netOf({ total_cents: 120_000, refund_cents: 0 })).toBe(120_000);
  });
});

describe('bookingTotals', () => {
  it('adds a cancelled 500,000.00 booking refunded 450,000.00 as 50,000.00 net', () => {
    expect(
      bookingTotals([
        { total_cents: 50_000_000, refund_cents: 45_000_000 },
        { total_cents: 100_000, refund_cents: 0 },
      ]),
    ).toEqual({ total_cents: 50_100_000, refund_cents: 45_000_000, net_cents: 5_100_000 });
  });

  it('is zero for no bookings', () => {
    expect(bookingTotals([])).toEqual({ total_cents: 0, refund_cents: 0, net_cents: 0 });
  });
});

describe('moneyOf', () => {
  it('shows what travellers paid, the refunds and the revenue that stays', () => {
    expect(moneyOf({ revenue_cents: 270_000, refunds_cents: 90_000 })).toEqual({
      paid: '$3,600.00',
      refunds: '$900.00',
      revenue: '$2,700.00',
    });
  });
});

describe('moneyOfAll', () => {
  it('adds the launches up, a refunded launch counting only what stays', () => {
    expect(
      moneyOfAll([
        { revenue_cents: 5_000_000, refunds_cents: 45_000_000 },
        { revenue_cents: 100_000, refunds_cents: 0 },
      ]),
    ).toEqual({ paid: '$501,000.00', refunds: '$450,000.00', revenue: '$51,000.00' });
  });

  it('is zero for no launches', () => {
    expect(moneyOfAll([])).toEqual({ paid: '$0.00', refunds: '$0.00', revenue: '$0.00' });
  });
});
