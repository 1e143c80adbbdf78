import { TestBed } from '@angular/core/testing';
import { SESSION_STORAGE_KEY, SessionStore } from './session';
import { sessionFor } from './testing';

function store(): SessionStore {
  TestBed.configureTestingModule({ providers: [{ provide: SESSION_STORAGE_KEY, useValue: 'test.session' }] });
  return TestBed.inject(SessionStore);
}

describe('SessionStore', () => {
  beforeEach(() => localStorage.clear());

  it('keeps the session across a reload, under its own key', () => {
    store().save(sessionFor('agency'));
    expect(JSON.parse(localStorage.getItem('test.session') ?? 'null').user.role).toBe('agency');
    TestBed.resetTestingModule();
    const reloaded = store();
    expect(reloaded.signedIn()).toBe(true);
    expect(reloaded.hasRole('agency')).toBe(true);
    expect(reloaded.hasRole('it', 'financial')).toBe(false);
  });

  it('ignores a corrupt or foreign stored value', () => {
    localStorage.setItem('test.session', '{not json');
    expect(store().session()).toBeNull();
    TestBed.resetTestingModule();
    localStorage.setItem('test.session', JSON.stringify({ hello: 'world' }));
    expect(store().session()).toBeNull();
  });

  it('forgets the session on clear', () => {
    const sessions = store();
    sessions.save(sessionFor('traveler'));
    sessions.clear();
    expect(sessions.user()).toBeNull();
    expect(localStorage.getItem('test.session')).toBeNull();
  });
});
