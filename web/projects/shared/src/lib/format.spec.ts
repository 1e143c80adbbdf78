import { formatCents, parseDollars, reachName } from './format';

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
