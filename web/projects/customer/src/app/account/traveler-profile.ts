import { Component, OnInit, inject } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { ProfileEditor, TravelerProfile } from '@astro/shared';
import { CustomerApi } from '../customer-api';
import { TravelerProfileForm, toTravelerProfile, travelerProfileForm } from './traveler-profile-form';

/** The traveller's contact details: how the agency reaches them, who to call, the tax id for invoices. */
@Component({
  selector: 'astro-traveler-profile',
  imports: [FormsModule],
  template: `
    <section class="card narrow">
      <h1>Profile</h1>
      <p class="muted">Every field is optional.</p>
      <form (ngSubmit)="editor.save()">
        <label>Phone <input name="phone" type="tel" [(ngModel)]="editor.form.phone" autocomplete="tel" /></label>
        <label>
          Contact email
          <input name="contactEmail" type="email" [(ngModel)]="editor.form.contact_email" autocomplete="email" />
          <span class="muted">Where we write about your bookings, if not your sign-in email.</span>
        </label>
        <label>Emergency contact (name and phone) <input name="emergencyContact" [(ngModel)]="editor.form.emergency_contact" maxlength="200" /></label>
        <label>
          Tax id
          <input name="taxId" [(ngModel)]="editor.form.tax_id" maxlength="64" />
          <span class="muted">Only if you need invoices in your name.</span>
        </label>
        @for (problem of editor.problems(); track problem) {
          <p class="error" role="alert">{{ problem }}</p>
        }
        <p class="ok" role="status" data-testid="profile-saved">{{ editor.saved() ? 'Profile saved.' : '' }}</p>
        <button type="submit" [disabled]="editor.busy()">Save profile</button>
      </form>
    </section>
  `,
})
export class TravelerProfilePage implements OnInit {
  private readonly api = inject(CustomerApi);
  protected readonly editor = new ProfileEditor<TravelerProfileForm, TravelerProfile>({
    toForm: travelerProfileForm,
    check: toTravelerProfile,
    load: () => this.api.profile(),
    save: (profile) => this.api.saveProfile(profile),
  });

  ngOnInit(): void {
    this.editor.start();
  }
}
