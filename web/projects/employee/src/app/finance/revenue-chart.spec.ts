import { revenueChart } from './revenue-chart';

const month = (name: string, received: number, pending: number) => ({
  month: name,
  fees_invoiced_cents: received + pending,
  received_cents: received,
  pending_cents: pending,
});

describe('revenueChart', () => {
  it('scales the tallest bar to the height and the others in proportion, on the baseline', () => {
    const chart = revenueChart([month('2026-10', 900_000, 0), month('2026-11', 300_000, 450_000)], 100);
    expect(chart.max_cents).toBe(900_000);
    expect(chart.months[0].received).toEqual({ x: 12, y: 0, height: 100 });
    expect(chart.months[0].pending.height).toBe(0);
    expect(chart.months[1].received.height).toBeCloseTo(33.3);
    expect(chart.months[1].pending).toEqual({ x: 12 + 76 + 28, y: 50, height: 50 });
    expect(chart.width).toBe(152);
  });

  it('labels each month for screen readers', () => {
    expect(revenueChart([month('2026-11', 720_000, 100_000)]).months[0].label).toBe(
      '2026-11: $7,200.00 received, $1,000.00 pending',
    );
  });

  it('draws flat bars when nothing was invoiced', () => {
    const chart = revenueChart([month('2026-01', 0, 0)], 100);
    expect(chart.months[0].received).toEqual({ x: 12, y: 100, height: 0 });
  });
});
