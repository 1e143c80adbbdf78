import { ageProblem, passwordProblem } from './rules';

describe('passwordProblem', () => {
  it('accepts 10 or more characters with a letter and a digit', () => {
    expect(passwordProblem('traveler-pass-1')).toBeNull();
    expect(passwordProblem('abcdefghi1')).toBeNull();
  });

  it('explains what is missing', () => {
    expect(passwordProblem('short1')).toBe('Use at least 10 characters.');
    expect(passwordProblem('onlyletters')).toBe('Use at least one letter and one digit.');
    expect(passwordProblem('1234567890')).toBe('Use at least one letter and one digit.');
  });
});

describe('ageProblem', () => {
  it('accepts 18 up to and including 69', () => {
    expect(ageProblem(18)).toBeNull();
    expect(ageProblem(69)).toBeNull();
  });

  it('refuses minors, 70 and over, and fractions', () => {
    expect(ageProblem(17)).toMatch(/18 to 69/);
    expect(ageProblem(70)).toMatch(/18 to 69/);
    expect(ageProblem(30.5)).toMatch(/whole number/);
    expect(ageProblem(Number.NaN)).toMatch(/whole number/);
  });
});
