import { signal } from '@angular/core';
import { Observable } from 'rxjs';
import { describeError, problemCode } from './problem';

/** How one profile is read, checked and saved: the parts that differ between the apps. */
export interface ProfileEditorParts<Form, Profile> {
  /** The form for what the server sent; null before a profile exists. */
  toForm(profile: Profile | null): Form;
  check(form: Form): { profile: Profile } | { problems: string[] };
  load(): Observable<Profile>;
  save(profile: Profile): Observable<Profile>;
}

/**
 * The state of a profile page (the traveller's, the agency's): the form, its problems, whether it
 * is busy and whether it was just saved. A profile not written yet (404) starts from an empty form.
 */
export class ProfileEditor<Form, Profile> {
  readonly problems = signal<string[]>([]);
  readonly saved = signal(false);
  readonly busy = signal(false);
  form: Form;

  constructor(private readonly parts: ProfileEditorParts<Form, Profile>) {
    this.form = parts.toForm(null);
  }

  start(): void {
    this.busy.set(true);
    this.parts.load().subscribe({
      next: (profile) => this.show(profile),
      error: (error: unknown) => {
        this.busy.set(false);
        if (problemCode(error) !== 'not_found') this.problems.set([describeError(error)]);
      },
    });
  }

  save(): void {
    this.saved.set(false);
    const result = this.parts.check(this.form);
    if ('problems' in result) {
      this.problems.set(result.problems);
      return;
    }
    this.problems.set([]);
    this.busy.set(true);
    this.parts.save(result.profile).subscribe({
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

  private show(profile: Profile): void {
    this.busy.set(false);
    this.form = this.parts.toForm(profile);
  }
}
