import { agencyProfileForm, toAgencyProfile } from './agency-profile-form';

const empty = agencyProfileForm(null);

const valid = {
  legal_name: ' Orbital Tours SA ',
  tax_id: ' FR-123 ',
  legal_address: '1 Rue de la Lune, Paris',
  contact_email: 'desk@orbital.test',
  description: 'Lunar flybys since 2024.',
};

describe('toAgencyProfile', () => {
  it('trims the profile', () => {
    expect(toAgencyProfile(valid)).toEqual({ profile: { ...valid, legal_name: 'Orbital Tours SA', tax_id: 'FR-123' } });
  });

  it('requires the tax id, the legal address and the contact email, and nothing else', () => {
    expect(toAgencyProfile(empty)).toEqual({
      problems: ['Enter the tax id.', 'Enter the legal address.', 'Enter the contact email the platform writes to.'],
    });
    const least = { ...empty, tax_id: 'FR-1', legal_address: 'Paris', contact_email: 'desk@orbital.test' };
    expect(toAgencyProfile(least)).toEqual({ profile: least });
  });

  it('refuses a contact email that is not one, and control characters', () => {
    expect(toAgencyProfile({ ...valid, contact_email: 'desk', legal_name: 'Orbital\u202E' })).toEqual({
      problems: ['Enter the contact email the platform writes to.', expect.stringContaining('U+202E')],
    });
  });
});

describe('agencyProfileForm', () => {
  it('shows the fields the server left null as empty', () => {
    expect(agencyProfileForm({ tax_id: 'FR-1', legal_address: 'Paris', description: null })).toEqual({
      ...empty,
      tax_id: 'FR-1',
      legal_address: 'Paris',
    });
  });
});
