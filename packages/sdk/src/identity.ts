import { KEYS, type LocalValues } from './local-values';
import { uuidv7 } from './uuid';

/** Who the items are about: an anonymous id per device (per person, after reset), and the host's user id once known. */
export interface Identity {
  anonymousId(): string;
  userId(): string | undefined;
  setUserId(userId: string): void;
  /** Someone else from now on: a new anonymous id, no user id, a new session and activity day. */
  forget(): void;
}

export function createIdentity(values: LocalValues): Identity {
  return {
    anonymousId() {
      let id = values.read(KEYS.anonymousId);
      if (!id) values.write(KEYS.anonymousId, (id = uuidv7()));
      return id;
    },
    userId: () => values.read(KEYS.userId),
    setUserId: (userId) => values.write(KEYS.userId, userId),
    forget() {
      for (const key of [KEYS.anonymousId, KEYS.userId, KEYS.session, KEYS.activeDay]) values.write(key, undefined);
    },
  };
}
