import { formatCents, formatPercent, parseDollars, reachName, toDateTimeLocal } from './format';

describe('formatCents', () => {
  it('shows integer cents as dollars with two decimals', () => {
    expect(formatCents(99_900)).toBe('$999.00');
    expect(formatCents(125_050)).toBe('$1,250.50');
    expect(formatCents(0)).toBe('$0.00');
  });
});

describe('parseDollars', () => {
  it('reads what people type as integer cents', () => {
    expect(parseDollars('1250')).toBe(125_000);
    expect(parseDollars('1,250.5')).toBe(125_050);
    expect(parseDollars(' $0.07 ')).toBe(7);
  });

  it('refuses what is not an amount', () => {
    for (const text of ['', 'abc', '12.345', '-5', '1e3', '.5']) {
      expect(parseDollars(text)).toBeNull();
    }
  });
});

describe('reachName', () => {
  it('names each destination for people', () => {
    expect(reachName('low_earth_orbit')).toBe('Low Earth orbit');
    expect(reachName('mars')).toBe('Mars');
  });
});

describe('formatPercent', () => {
  it('keeps at most one decimal and drops a trailing zero', () => {
    expect(formatPercent(66.7)).toBe('66.7 %');
    expect(formatPercent(50)).toBe('50 %');
    expect(formatPercent(33.333)).toBe('33.3 %');
    expect(formatPercent(0)).toBe('0 %');
  });
});

describe('toDateTimeLocal', () => {
  it('writes a time as a datetime-local input reads it back, in the local zone', () => {
    const local = toDateTimeLocal('2027-03-01T09:30:45Z');
    expect(local).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    expect(new Date(local).getTime()).toBe(new Date('2027-03-01T09:30:00Z').getTime());
  });
});
