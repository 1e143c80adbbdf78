import { HttpErrorResponse } from '@angular/common/http';
import { Observable, of, throwError } from 'rxjs';
import { ProfileEditor } from './profile-editor';

interface Profile {
  phone: string | null;
}

function editor(load: () => Observable<Profile>, save: (profile: Profile) => Observable<Profile> = (profile) => of(profile)) {
  return new ProfileEditor<{ phone: string }, Profile>({
    toForm: (profile) => ({ phone: profile?.phone ?? '' }),
    check: (form) => (form.phone.includes('!') ? { problems: ['No "!" here.'] } : { profile: { phone: form.phone.trim() || null } }),
    load,
    save,
  });
}

describe('ProfileEditor', () => {
  it('shows the saved profile, and starts empty when there is none yet', () => {
    const existing = editor(() => of({ phone: '555' }));
    existing.start();
    expect(existing.form).toEqual({ phone: '555' });
    const fresh = editor(() => throwError(() => new HttpErrorResponse({ status: 404, error: { code: 'not_found', message: 'none' } })));
    fresh.start();
    expect(fresh.form).toEqual({ phone: '' });
    expect(fresh.problems()).toEqual([]);
  });

  it('says why loading failed otherwise', () => {
    const broken = editor(() => throwError(() => new HttpErrorResponse({ status: 500, error: { code: 'internal', message: 'boom' } })));
    broken.start();
    expect(broken.problems()).toEqual(['boom']);
    expect(broken.busy()).toBe(false);
  });

  it('sends only a form that passes its check, and shows what the server kept', () => {
    const sent: Profile[] = [];
    const page = editor(
      () => of({ phone: null }),
      (profile) => {
        sent.push(profile);
        return of({ phone: `${profile.phone} (kept)` });
      },
    );
    page.start();
    page.form = { phone: '555!' };
    page.save();
    expect(page.problems()).toEqual(['No "!" here.']);
    page.form = { phone: ' 555 ' };
    page.save();
    expect(sent).toEqual([{ phone: '555' }]);
    expect(page.form).toEqual({ phone: '555 (kept)' });
    expect(page.saved()).toBe(true);
  });
});
