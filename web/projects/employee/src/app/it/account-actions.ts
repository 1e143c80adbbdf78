import { User } from '@astro/shared';

export type AccountAction = 'disable' | 'enable';

export interface AccountButton {
  action: AccountAction;
  label: string;
}

/**
 * What IT can do to an account from the list: disable an active one, enable a disabled one.
 * Nobody disables their own account (the API refuses it too: it would lock them out).
 */
export function accountButton(account: User, signedInUserId: string | undefined): AccountButton | null {
  if (account.status === 'disabled') {
    return { action: 'enable', label: 'Enable' };
  }
  if (account.id === signedInUserId) {
    return null;
  }
  return { action: 'disable', label: 'Disable' };
}

/** The list after one account changed: the server's copy replaces the old one. */
export function replaceAccount(accounts: readonly User[], changed: User): User[] {
  return accounts.map((account) => (account.id === changed.id ? changed : account));
}
