import { Reach } from './models';

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

/** Integer cents as dollars: 99900 → "$999.00". */
export function formatCents(cents: number): string {
  return money.format(cents / 100);
}

/** A percentage with at most one decimal, as the apps write it: 66.7 → "66.7 %", 50 → "50 %". */
export function formatPercent(percent: number): string {
  return `${Math.round(percent * 10) / 10} %`;
}

/** A time as a `datetime-local` input shows it, in the user's zone, to the minute: "2027-03-01T09:30". */
export function toDateTimeLocal(iso: string): string {
  const date = new Date(iso);
  const two = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}T${two(date.getHours())}:${two(date.getMinutes())}`;
}

/** A dollar amount typed by a person (`"1,250.5"`) as integer cents, or null when it is not one. */
export function parseDollars(text: string): number | null {
  const cleaned = text.replace(/[$,\s]/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) {
    return null;
  }
  const [whole, fraction = ''] = cleaned.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

const reachNames: Record<Reach, string> = {
  suborbital: 'Suborbital',
  low_earth_orbit: 'Low Earth orbit',
  moon: 'Moon',
  mars: 'Mars',
};

export function reachName(reach: Reach): string {
  return reachNames[reach] ?? reach;
}
