// How an account's traits change, the same on every engine: a change is a JSON merge patch of flat
// traits (a value sets a trait, null removes it) taken as of its time. A change at least as new as
// the account's last one is applied over the stored traits; an older one (a device that was
// offline) only fills traits the account does not have. Several changes to one account in one
// commit compose first, in time order, into one (composeChanges).
import type { AccountTraits, GroupItem, Metric } from '@cxkit/protocol';

export interface AccountChange {
  accountId: string;
  traits: AccountTraits;
  /** When the change was made: the group item's time, or when the API received it. */
  at: number;
}

export interface StoredAccount {
  id: string;
  traits: AccountTraits;
  /** When the account was first and last changed (ms). */
  createdAt: number;
  updatedAt: number;
  /** Users whose latest group() joined this account. */
  users: number;
}

export interface AccountQuery {
  after?: string;
  limit: number;
}

/** A response as the accounts read it: whose it is. */
export interface AccountAnswer {
  responseId: string;
  surveyId: string;
  metric: Metric;
  score: number;
  comment: string | null;
  at: number;
  /** The user id, else the anonymous id. */
  subject: string;
  /** The anonymous id, which an identify may tie to a user. */
  anonymousId: string;
}

/** A user joining an account, as a group item says it. */
export interface Membership {
  /** The user id, else the anonymous id, as activity counts users. */
  subject: string;
  accountId: string;
  at: number;
}

export const changeOf = (item: GroupItem, at: number): AccountChange => ({ accountId: item.accountId, traits: item.traits ?? {}, at });
export const membershipOf = (item: GroupItem, at: number): Membership => ({ subject: item.userId ?? item.anonymousId, accountId: item.accountId, at });

/** One change per account, each the composition of its changes in time order, at the latest time. */
export function composeChanges(changes: readonly AccountChange[]): AccountChange[] {
  const composed = new Map<string, AccountChange>();
  for (const change of [...changes].sort((a, b) => a.at - b.at)) {
    const before = composed.get(change.accountId);
    composed.set(change.accountId, before ? { accountId: change.accountId, traits: { ...before.traits, ...change.traits }, at: change.at } : change);
  }
  return [...composed.values()];
}

/** One membership per user: the latest. */
export function latestMemberships(memberships: readonly Membership[]): Membership[] {
  const latest = new Map<string, Membership>();
  for (const m of memberships) {
    const before = latest.get(m.subject);
    if (!before || m.at >= before.at) latest.set(m.subject, m);
  }
  return [...latest.values()];
}
