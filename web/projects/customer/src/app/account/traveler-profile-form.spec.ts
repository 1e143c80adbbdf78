import { toTravelerProfile, travelerProfileForm } from './traveler-profile-form';

describe('toTravelerProfile', () => {
  it('trims what is given and sends what is left empty as null', () => {
    expect(toTravelerProfile({ phone: ' +33 6 12 34 56 78 ', contact_email: '', emergency_contact: 'Marie, +33 6 00', tax_id: ' ' })).toEqual({
      profile: { phone: '+33 6 12 34 56 78', contact_email: null, emergency_contact: 'Marie, +33 6 00', tax_id: null },
    });
  });

  it('refuses a contact email that is not one and invisible characters', () => {
    expect(toTravelerProfile({ phone: '555\u200B0100', contact_email: 'ada', emergency_contact: '', tax_id: '' })).toEqual({
      problems: [expect.stringContaining('U+200B'), expect.stringMatching(/6 to 20 digits/), 'Enter a valid contact email.'],
    });
  });

  it('wants a phone number to be one', () => {
    expect(toTravelerProfile({ phone: '12', contact_email: '', emergency_contact: '', tax_id: '' })).toEqual({
      problems: [expect.stringMatching(/6 to 20 digits/)],
    });
  });
});

describe('travelerProfileForm', () => {
  it('shows a missing profile and its null fields as empty', () => {
    expect(travelerProfileForm(null)).toEqual({ phone: '', contact_email: '', emergency_contact: '', tax_id: '' });
    expect(travelerProfileForm({ phone: '555', contact_email: null, emergency_contact: null, tax_id: 'FR1' })).toEqual({
      phone: '555',
      contact_email: '',
      emergency_contact: '',
      tax_id: 'FR1',
    });
  });
});
