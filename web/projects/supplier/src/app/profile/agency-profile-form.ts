import { AgencyProfile, looksLikeEmail, plainTextProblem } from '@astro/shared';

export type AgencyProfileResult = { profile: AgencyProfile } | { problems: string[] };

/** The form for the profile the server sent (null before there is one); a null field shows empty. */
export function agencyProfileForm(profile: { [field in keyof AgencyProfile]?: string | null } | null): AgencyProfile {
  return {
    legal_name: profile?.legal_name ?? '',
    tax_id: profile?.tax_id ?? '',
    legal_address: profile?.legal_address ?? '',
    contact_email: profile?.contact_email ?? '',
    description: profile?.description ?? '',
  };
}

/**
 * Checks the profile with the admin API's rules (tax id, legal address and contact email required:
 * the platform invoices the agency and writes to it there) so that every problem shows at once,
 * and trims it.
 */
export function toAgencyProfile(value: AgencyProfile): AgencyProfileResult {
  const profile: AgencyProfile = {
    legal_name: value.legal_name.trim(),
    tax_id: value.tax_id.trim(),
    legal_address: value.legal_address.trim(),
    contact_email: value.contact_email.trim(),
    description: value.description.trim(),
  };
  const problems: string[] = [];
  if (!profile.tax_id) problems.push('Enter the tax id.');
  if (!profile.legal_address) problems.push('Enter the legal address.');
  if (!looksLikeEmail(profile.contact_email)) problems.push('Enter the contact email the platform writes to.');
  for (const [what, text] of [
    ['The legal name', profile.legal_name],
    ['The tax id', profile.tax_id],
    ['The legal address', profile.legal_address],
    ['The contact email', profile.contact_email],
  ]) {
    const problem = plainTextProblem(what, text);
    if (problem) problems.push(problem);
  }
  return problems.length > 0 ? { problems } : { profile };
}
