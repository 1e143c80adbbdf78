import { Component, OnInit, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { describeError, problemCode } from '@astro/shared';
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
      <form (ngSubmit)="save()">
        <label>Phone <input name="phone" type="tel" [(ngModel)]="form.phone" autocomplete="tel" /></label>
        <label>
          Contact email
          <input name="contactEmail" type="email" [(ngModel)]="form.contact_email" autocomplete="email" />
          <span class="muted">Where we write about your bookings, if not your sign-in email.</span>
        </label>
        <label>Emergency contact (name and phone) <input name="emergencyContact" [(ngModel)]="form.emergency_contact" /></label>
        <label>
          Tax id
          <input name="taxId" [(ngModel)]="form.tax_id" />
          <span class="muted">Only if you need invoices in your name.</span>
        </label>
        @for (problem of problems(); track problem) {
          <p class="error" role="alert">{{ problem }}</p>
        }
        <p class="ok" role="status" data-testid="profile-saved">{{ saved() ? 'Profile saved.' : '' }}</p>
        <button type="submit" [disabled]="busy()">Save profile</button>
      </form>
    </section>
  `,
})
export class TravelerProfilePage implements OnInit {
  private readonly api = inject(CustomerApi);
  protected readonly problems = signal<string[]>([]);
  protected readonly saved = signal(false);
  protected readonly busy = signal(false);
  protected form: TravelerProfileForm = travelerProfileForm(null);

  ngOnInit(): void {
    this.busy.set(true);
    this.api.profile().subscribe({
      next: (profile) => {
        this.busy.set(false);
        this.form = travelerProfileForm(profile);
      },
      error: (error: unknown) => {
        this.busy.set(false);
        // A traveller who has not written a profile yet starts from an empty form.
        if (problemCode(error) !== 'not_found') this.problems.set([describeError(error)]);
      },
    });
  }

  save(): void {
    this.saved.set(false);
    const result = toTravelerProfile(this.form);
    if ('problems' in result) {
      this.problems.set(result.problems);
      return;
    }
    this.problems.set([]);
    this.busy.set(true);
    this.api.saveProfile(result.profile).subscribe({
      next: (profile) => {
        this.busy.set(false);
        this.form = travelerProfileForm(profile);
        this.saved.set(true);
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.problems.set([describeError(error)]);
      },
    });
  }
}
