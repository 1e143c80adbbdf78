import { Component, OnInit, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { AdminApi, AgencyProfile, describeError, problemCode } from '@astro/shared';
import { agencyProfileForm, emptyAgencyProfile, toAgencyProfile } from './agency-profile-form';

/** The agency's legal details, shown to travellers and on its invoices. */
@Component({
  selector: 'astro-agency-profile',
  imports: [FormsModule],
  template: `
    <section class="card narrow">
      <h1>Agency profile</h1>
      <form (ngSubmit)="save()">
        <label>Legal name <input name="legalName" [(ngModel)]="form.legal_name" autocomplete="organization" /></label>
        <label>Tax id (required) <input name="taxId" [(ngModel)]="form.tax_id" required /></label>
        <label>
          Legal address (required)
          <input name="legalAddress" [(ngModel)]="form.legal_address" autocomplete="street-address" required />
        </label>
        <label>Contact email <input name="contactEmail" type="email" [(ngModel)]="form.contact_email" autocomplete="email" /></label>
        <label>Description <textarea name="description" rows="4" [(ngModel)]="form.description"></textarea></label>
        @for (problem of problems(); track problem) {
          <p class="error" role="alert">{{ problem }}</p>
        }
        <p class="ok" role="status" data-testid="profile-saved">{{ saved() ? 'Profile saved.' : '' }}</p>
        <button type="submit" [disabled]="busy()">Save profile</button>
      </form>
    </section>
  `,
})
export class AgencyProfilePage implements OnInit {
  private readonly api = inject(AdminApi);
  protected readonly problems = signal<string[]>([]);
  protected readonly saved = signal(false);
  protected readonly busy = signal(false);
  protected form: AgencyProfile = emptyAgencyProfile();

  ngOnInit(): void {
    this.busy.set(true);
    this.api.profile().subscribe({
      next: (profile) => this.show(profile),
      error: (error: unknown) => {
        this.busy.set(false);
        // An agency that has not written its profile yet starts from an empty form.
        if (problemCode(error) !== 'not_found') this.problems.set([describeError(error)]);
      },
    });
  }

  save(): void {
    this.saved.set(false);
    const result = toAgencyProfile(this.form);
    if ('problems' in result) {
      this.problems.set(result.problems);
      return;
    }
    this.problems.set([]);
    this.busy.set(true);
    this.api.saveProfile(result.profile).subscribe({
      next: (profile) => {
        this.show(profile);
        this.saved.set(true);
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.problems.set([describeError(error)]);
      },
    });
  }

  private show(profile: AgencyProfile): void {
    this.busy.set(false);
    this.form = agencyProfileForm(profile);
  }
}
