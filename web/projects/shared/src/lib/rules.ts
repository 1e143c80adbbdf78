// Input rules the servers also enforce, checked here too so that a person sees the problem before
// sending. The servers stay the authority.

/** The part of an email before the @, lower-cased; a password must not contain it. */
function localPart(email: string): string {
  const at = email.lastIndexOf('@');
  return (at < 0 ? email : email.slice(0, at)).trim().toLowerCase();
}

/** Local parts this short ("it", "al") are too likely in any password to refuse them. */
const MIN_REFUSED_LOCAL_PART = 3;

/**
 * 10–256 characters with a letter and a digit, without the part of the account's email before
 * the @ (the system API's rule).
 */
export function passwordProblem(password: string, email = ''): string | null {
  const length = [...password].length;
  if (length < 10 || length > 256) {
    return 'Use 10 to 256 characters.';
  }
  if (!/\p{L}/u.test(password) || !/\d/.test(password)) {
    return 'Use at least one letter and one digit.';
  }
  const local = localPart(email);
  if ([...local].length >= MIN_REFUSED_LOCAL_PART && password.toLowerCase().includes(local)) {
    return 'Do not use the part of your email before the @ in your password.';
  }
  return null;
}

/**
 * Control, invisible format (zero-width, bidirectional overrides, byte-order mark), private-use
 * and unassigned characters, line and paragraph separators, and < >: what the servers refuse in
 * names and emails, found by Unicode general category as they do.
 */
const FORBIDDEN_CHARACTER = /[\p{C}\p{Zl}\p{Zp}<>]/u;

/** Why `text` cannot be sent as a name or an email, or null; `what` names the field. */
export function plainTextProblem(what: string, text: string): string | null {
  const found = FORBIDDEN_CHARACTER.exec(text);
  if (!found) {
    return null;
  }
  const codePoint = (found[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
  return `${what} cannot contain U+${codePoint}: control, invisible and < > characters are refused.`;
}

/** An address with something before the @ and a dotted domain after it; the server checks the rest. */
export function looksLikeEmail(text: string): boolean {
  return /^\S+@\S+\.\S+$/.test(text.trim());
}

/** 6 to 20 digits, written with + - ( ) . and spaces, 32 characters at most (the servers' rule). */
export function phoneProblem(phone: string): string | null {
  const text = phone.trim();
  const digits = (text.match(/\d/g) ?? []).length;
  return digits >= 6 && digits <= 20 && text.length <= 32 && /^[\d+\-(). ]+$/.test(text)
    ? null
    : 'Enter a phone number of 6 to 20 digits (with + - ( ) . and spaces if you like).';
}

/** The most seats a rocket may have (the admin API's named maximum). */
export const MAX_ROCKET_SEATS = 1_000;

export const MIN_PASSENGER_AGE = 18;
/** Passengers must be younger than this on the launch date. */
export const MAX_PASSENGER_AGE_EXCLUSIVE = 70;
export const MAX_SEATS = 4;
export const MAX_SEATS_VIP = 6;

export function ageProblem(age: number): string | null {
  if (!Number.isInteger(age)) {
    return 'Age must be a whole number.';
  }
  if (age < MIN_PASSENGER_AGE || age >= MAX_PASSENGER_AGE_EXCLUSIVE) {
    return `Passengers must be ${MIN_PASSENGER_AGE} to ${MAX_PASSENGER_AGE_EXCLUSIVE - 1} years old.`;
  }
  return null;
}
