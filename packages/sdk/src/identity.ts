import { KEYS, parseJson, type LocalValues } from './local-values';
import { uuidv7 } from './uuid';

/** Who the items are about: an anonymous id per device (per person, after reset), and the host's user id once known. */
export interface Identity {
  anonymousId(): string;
  userId(): string | undefined;
  setUserId(userId: string): void;
  /** The traits identify() gave for this user, merged; surveys may target them. */
  traits(): Record<string, unknown>;
  addTraits(traits: Record<string, unknown>): void;
  /** The account group() named: one at a time on a device. */
  accountId(): string | undefined;
  setAccountId(accountId: string): void;
  /** Someone else from now on: a new anonymous id, no user id, traits or account, a new session and activity day. */
  forget(): void;
}

export function createIdentity(values: LocalValues): Identity {
  const traits = () => parseJson<Record<string, unknown>>(values.read(KEYS.traits), (stored) => typeof stored === 'object') ?? {};

  return {
    anonymousId() {
      let id = values.read(KEYS.anonymousId);
      if (!id) values.write(KEYS.anonymousId, (id = uuidv7()));
      return id;
    },
    userId: () => values.read(KEYS.userId),
    setUserId: (userId) => values.write(KEYS.userId, userId),
    traits,
    addTraits: (added) => values.write(KEYS.traits, JSON.stringify({ ...traits(), ...added })),
    accountId: () => values.read(KEYS.accountId),
    setAccountId: (accountId) => values.write(KEYS.accountId, accountId),
    forget() {
      for (const key of [KEYS.anonymousId, KEYS.userId, KEYS.traits, KEYS.accountId, KEYS.session, KEYS.activeDay]) values.write(key, undefined);
    },
  };
}
