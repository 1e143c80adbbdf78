import { Component, OnInit, inject } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { AdminApi, AgencyProfile, ProfileEditor } from '@astro/shared';
import { agencyProfileForm, toAgencyProfile } from './agency-profile-form';

/** The agency's legal details, shown to travellers and on its invoices. */
@Component({
  selector: 'astro-agency-profile',
  imports: [FormsModule],
  template: `
    <section class="card narrow">
      <h1>Agency profile</h1>
      <form (ngSubmit)="editor.save()">
        <label>Legal name <input name="legalName" [(ngModel)]="editor.form.legal_name" autocomplete="organization" maxlength="200" /></label>
        <label>Tax id (required) <input name="taxId" [(ngModel)]="editor.form.tax_id" maxlength="64" required /></label>
        <label>
          Legal address (required)
          <input name="legalAddress" [(ngModel)]="editor.form.legal_address" autocomplete="street-address" maxlength="300" required />
        </label>
        <label>
          Contact email (required)
          <input name="contactEmail" type="email" [(ngModel)]="editor.form.contact_email" autocomplete="email" required />
          <span class="muted">Where the platform writes to you about your launches.</span>
        </label>
        <label>Description <textarea name="description" rows="4" maxlength="2000" [(ngModel)]="editor.form.description"></textarea></label>
        @for (problem of editor.problems(); track problem) {
          <p class="error" role="alert">{{ problem }}</p>
        }
        <p class="ok" role="status" data-testid="profile-saved">{{ editor.saved() ? 'Profile saved.' : '' }}</p>
        <button type="submit" [disabled]="editor.busy()">Save profile</button>
      </form>
    </section>
  `,
})
export class AgencyProfilePage implements OnInit {
  private readonly api = inject(AdminApi);
  protected readonly editor = new ProfileEditor<AgencyProfile, AgencyProfile>({
    toForm: agencyProfileForm,
    check: toAgencyProfile,
    load: () => this.api.profile(),
    save: (profile) => this.api.saveProfile(profile),
  });

  ngOnInit(): void {
    this.editor.start();
  }
}
