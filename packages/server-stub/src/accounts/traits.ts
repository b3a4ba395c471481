// What an account's id and traits may be, for the group item and the accounts API alike: a flat
// record of scalars (name, plan, MRR, a renewal date), so a breakdown, a targeting filter or a sum of
// MRR reads each value as it is, within LIMITS.
import * as v from 'valibot';
import { LIMITS, MRR_TRAIT, type AccountTraits } from '@cxkit/protocol';

export const accountIdSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.accountIdChars));

const traitValue = v.union([
  v.pipe(v.string(), v.maxLength(LIMITS.traitTextChars)),
  v.pipe(v.number(), v.finite()),
  v.boolean(),
  v.null(),
]);

export const accountTraitsSchema = v.pipe(
  v.custom<unknown>((value) => !Array.isArray(value), 'an object is expected, not an array'),
  v.record(v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.traitNameChars)), traitValue),
  v.check((traits) => Object.keys(traits).length <= LIMITS.accountTraits, `at most ${LIMITS.accountTraits} traits`),
) as v.GenericSchema<unknown, AccountTraits>;

/** Traits as a later change sets them: newer values win, a null removes the trait (JSON merge patch). */
export function mergeTraits(stored: AccountTraits, change: AccountTraits): AccountTraits {
  const merged = { ...stored };
  for (const [name, value] of Object.entries(change)) {
    if (value === null) delete merged[name];
    else merged[name] = value;
  }
  return merged;
}

/** The account's monthly recurring revenue: its MRR_TRAIT trait when that is a number. */
export const mrrOf = (traits: AccountTraits): number | null => (typeof traits[MRR_TRAIT] === 'number' ? (traits[MRR_TRAIT] as number) : null);

/** The account's `name` trait when that is a text. */
export const nameOf = (traits: AccountTraits): string | null => (typeof traits.name === 'string' ? traits.name : null);
