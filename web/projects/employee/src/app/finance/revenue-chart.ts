import { RevenueMonth, formatCents } from '@astro/shared';

export interface ChartBar {
  x: number;
  y: number;
  height: number;
}

export interface ChartMonth {
  month: string;
  received: ChartBar;
  pending: ChartBar;
  /** What a screen reader and the fallback table say for the month. */
  label: string;
}

export interface RevenueChart {
  width: number;
  height: number;
  /** The largest amount, the top of the scale, in cents. */
  max_cents: number;
  months: ChartMonth[];
}

const BAR = 24;
const GAP = 4;
const GROUP_GAP = 24;

/** Bars of received against pending per month, scaled to the chart's height (the tallest bar
 * fills it; an all-zero report draws no bar taller than zero). Bars stand on the baseline. */
export function revenueChart(months: RevenueMonth[], height = 160): RevenueChart {
  const maxCents = months.reduce((max, month) => Math.max(max, month.received_cents, month.pending_cents), 0);
  const scale = (cents: number) => (maxCents === 0 ? 0 : Math.round((cents / maxCents) * height * 10) / 10);
  const groupWidth = BAR * 2 + GAP + GROUP_GAP;
  return {
    width: Math.max(groupWidth * months.length, groupWidth),
    height,
    max_cents: maxCents,
    months: months.map((month, index) => {
      const x = index * groupWidth + GROUP_GAP / 2;
      const received = scale(month.received_cents);
      const pending = scale(month.pending_cents);
      return {
        month: month.month,
        received: { x, y: height - received, height: received },
        pending: { x: x + BAR + GAP, y: height - pending, height: pending },
        label: `${month.month}: ${formatCents(month.received_cents)} received, ${formatCents(month.pending_cents)} pending`,
      };
    }),
  };
}

export const CHART_BAR_WIDTH = BAR;
