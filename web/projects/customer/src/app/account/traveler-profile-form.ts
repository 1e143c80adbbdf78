import { TravelerProfile, looksLikeEmail, phoneProblem, plainTextProblem } from '@astro/shared';

/** The profile form as typed: every field a string, empty when left out. */
export type TravelerProfileForm = { [field in keyof TravelerProfile]: string };

export type TravelerProfileResult = { profile: TravelerProfile } | { problems: string[] };

/** The form for the profile the server sent; what it has not got shows empty. */
export function travelerProfileForm(profile: TravelerProfile | null): TravelerProfileForm {
  return {
    phone: profile?.phone ?? '',
    contact_email: profile?.contact_email ?? '',
    emergency_contact: profile?.emergency_contact ?? '',
    tax_id: profile?.tax_id ?? '',
  };
}

const labels: TravelerProfileForm = {
  phone: 'The phone',
  contact_email: 'The contact email',
  emergency_contact: 'The emergency contact',
  tax_id: 'The tax id',
};

/**
 * Every field is optional (the tax id is for invoices); what is given is trimmed, plain text, a
 * phone number is one and the contact email looks like one. An empty field is sent as null.
 */
export function toTravelerProfile(form: TravelerProfileForm): TravelerProfileResult {
  const problems: string[] = [];
  const profile = {} as TravelerProfile;
  for (const field of Object.keys(labels) as (keyof TravelerProfile)[]) {
    const text = form[field].trim();
    profile[field] = text || null;
    const problem = plainTextProblem(labels[field], text);
    if (problem) problems.push(problem);
  }
  const phone = profile.phone && phoneProblem(profile.phone);
  if (phone) problems.push(phone);
  if (profile.contact_email && !looksLikeEmail(profile.contact_email)) problems.push('Enter a valid contact email.');
  return problems.length > 0 ? { problems } : { profile };
}
