import type { PropertyFilter } from './surveys.js';

/**
 * Whether a bag of properties (a trigger event's, a user's or an account's traits) meets one
 * condition of a survey. Read by the sdk's targeting and by the server, which serves a survey with
 * account conditions only to the accounts that meet them.
 */
export function matchesFilter({ key, op, value }: PropertyFilter, bag: Record<string, unknown>): boolean {
  const actual = Object.hasOwn(bag, key) ? bag[key] : undefined;
  // Order comparisons hold between numbers only: "10" > 9 is no match, not a coercion.
  const numbers = typeof actual === 'number' && typeof value === 'number';
  switch (op) {
    case 'exists':
      return actual !== undefined && actual !== null;
    case 'eq':
      return actual === value;
    case 'neq':
      return actual !== value;
    case 'gt':
      return numbers && actual > value;
    case 'gte':
      return numbers && actual >= value;
    case 'lt':
      return numbers && actual < value;
    case 'lte':
      return numbers && actual <= value;
    case 'contains':
      if (typeof actual === 'string') return typeof value === 'string' && actual.includes(value);
      return Array.isArray(actual) && actual.includes(value);
    case 'in':
      return Array.isArray(value) && value.includes(actual as string | number | boolean);
    default:
      return false;
  }
}
