import { ageProblem, looksLikeEmail, passwordProblem, phoneProblem, plainTextProblem } from './rules';

describe('passwordProblem', () => {
  it('accepts 10 or more characters with a letter and a digit', () => {
    expect(passwordProblem('traveler-pass-1')).toBeNull();
    expect(passwordProblem('abcdefghi1')).toBeNull();
  });

  it('explains what is missing', () => {
    expect(passwordProblem('short1')).toBe('Use 10 to 256 characters.');
    expect(passwordProblem('a1'.repeat(129))).toBe('Use 10 to 256 characters.');
    expect(passwordProblem('onlyletters')).toBe('Use at least one letter and one digit.');
    expect(passwordProblem('1234567890')).toBe('Use at least one letter and one digit.');
  });
});

describe('passwordProblem with the email', () => {
  it('refuses a password holding the part before the @, in any case', () => {
    expect(passwordProblem('Galileo-1610', 'galileo@astro.test')).toMatch(/before the @/);
    expect(passwordProblem('my-GALILEO-99', 'Galileo@astro.test')).toMatch(/before the @/);
    expect(passwordProblem('jupiter-moons-1610', 'galileo@astro.test')).toBeNull();
  });

  it('lets a local part of two characters be', () => {
    expect(passwordProblem('itpassword123', 'it@astro.local')).toBeNull();
  });
});

describe('plainTextProblem', () => {
  it('refuses control, invisible and markup characters, naming the code point', () => {
    for (const [bad, codePoint] of [
      ['Ada\u0000', 'U+0000'],
      ['Ada\tLovelace', 'U+0009'],
      ['Ada\u200BLovelace', 'U+200B'],
      ['Ada\u202E', 'U+202E'],
      ['\uFEFFAda', 'U+FEFF'],
      ['<script>', 'U+003C'],
      ['ada\u200B@astro.test', 'U+200B'],
    ]) {
      expect(plainTextProblem('Name', bad)).toContain(codePoint);
    }
  });

  it('accepts names in any script', () => {
    for (const good of [
      "Zoë Ñúñez-O'Brien",
      '李小龙',
      'Анна Каренина',
      'Smith & Sons',
      'José\u0301',
    ]) {
      expect(plainTextProblem('Name', good)).toBeNull();
    }
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

describe('looksLikeEmail', () => {
  it('wants something before the @ and a dotted domain after it', () => {
    expect(looksLikeEmail(' ada@astro.test ')).toBe(true);
    for (const bad of ['', 'ada', 'ada@astro', '@astro.test', 'a da@astro.test']) {
      expect(looksLikeEmail(bad)).toBe(false);
    }
  });
});

describe('phoneProblem', () => {
  it('accepts 6 to 20 digits with the usual separators', () => {
    for (const good of ['+1 555 0100', '(06) 12-34.56', '123456', ' +33 6 12 34 56 78 ']) {
      expect(phoneProblem(good)).toBeNull();
    }
  });

  it('refuses too few or too many digits, letters, and more than 32 characters', () => {
    for (const bad of ['', '12345', '1'.repeat(21), '555-CALL-NOW', '1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7']) {
      expect(phoneProblem(bad)).toMatch(/6 to 20 digits/);
    }
  });
});
