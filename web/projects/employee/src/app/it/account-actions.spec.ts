import { User } from '@astro/shared';
import { accountButton, replaceAccount } from './account-actions';

const account = (id: string, status: User['status']): User => ({
  id,
  email: `${id}@astro.test`,
  name: id,
  role: 'agency',
  status,
  created_at: '2026-01-01T00:00:00Z',
});

describe('accountButton', () => {
  it('offers to disable an active account and to enable a disabled one', () => {
    expect(accountButton(account('a', 'active'), 'me')).toEqual({ action: 'disable', label: 'Disable' });
    expect(accountButton(account('a', 'disabled'), 'me')).toEqual({ action: 'enable', label: 'Enable' });
  });

  it('never offers to disable the signed-in account', () => {
    expect(accountButton(account('me', 'active'), 'me')).toBeNull();
  });
});

describe('replaceAccount', () => {
  it('puts the changed account in its place and leaves the others', () => {
    const before = [account('a', 'active'), account('b', 'active')];
    const after = replaceAccount(before, account('b', 'disabled'));
    expect(after.map((user) => user.status)).toEqual(['active', 'disabled']);
    expect(before[1].status).toBe('active');
  });
});
