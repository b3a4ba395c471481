import type { Context } from 'hono';
import { formatDay, isTimeZone, parseDay, TimeZoneError, UTC, zone, type Zone } from './calendar.js';
import { ReadsUnavailableError } from './metrics-reader.js';
import { StorageUnavailableError } from './storage.js';
import { isStorableText } from './validate.js';

/** A query parameter that cannot be used; answered 400 with the message. */
export class BadRequest extends Error {}

/** onError of the read API: 400 for bad parameters, 503 when reads are overloaded; anything else is ours, and says so. */
export function answerErrors(error: Error, c: Context): Response {
  if (error instanceof BadRequest || error instanceof TimeZoneError) return c.json({ error: error.message }, 400);
  if (error instanceof ReadsUnavailableError) {
    c.header('Retry-After', String(error.retryAfterSeconds));
    return c.json({ error: error.message }, 503);
  }
  if (error instanceof StorageUnavailableError) {
    c.header('Retry-After', '5');
    return c.json({ error: 'storage is unavailable; retry later' }, 503);
  }
  console.error(error);
  return c.json({ error: 'internal error' }, 500);
}

export function rejectUnknown(params: Record<string, string>, allowed: readonly string[]): void {
  const unknown = Object.keys(params).filter((name) => !allowed.includes(name));
  if (unknown.length > 0) {
    throw new BadRequest(`unknown parameter ${unknown.join(', ')}; allowed: ${allowed.join(', ')}`);
  }
  const unreadable = Object.keys(params).find((name) => !isStorableText(params[name]!));
  if (unreadable !== undefined) throw new BadRequest(`${unreadable} holds a character no query can match (U+0000 or a lone surrogate)`);
}

export function parseZone(name: string | undefined): Zone {
  if (name === undefined) return UTC;
  if (!isTimeZone(name)) throw new BadRequest(`tz must be an IANA time zone such as Europe/Berlin, not "${name}"`);
  return zone(name);
}

/** The longest range one request may ask for. */
const MAX_RANGE_DAYS = 1096;

/**
 * `from` and `to` as YYYY-MM-DD local days, inclusive. Without `to`, today in the zone; without
 * `from`, the `defaultDays` days ending with `to`.
 */
export function parseDateRange(
  params: { from?: string; to?: string },
  zone: Zone,
  now: number,
  defaultDays: number,
): { from: number; to: number } {
  const to = parseDayParam('to', params.to) ?? zone.dayOf(now);
  const from = parseDayParam('from', params.from) ?? to - defaultDays + 1;
  if (from > to) throw new BadRequest(`from (${formatDay(from)}) is after to (${formatDay(to)})`);
  if (to - from + 1 > MAX_RANGE_DAYS) throw new BadRequest(`the range is ${to - from + 1} days; at most ${MAX_RANGE_DAYS}`);
  return { from, to };
}

export function parseDayParam(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const day = parseDay(text);
  if (day === undefined) throw new BadRequest(`${name} must be a date as YYYY-MM-DD, not "${text}"`);
  return day;
}

export function parseIntegerParam(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^-?\d+$/.test(text) || value < min || value > max) {
    throw new BadRequest(`${name} must be a whole number from ${min} to ${max}, not "${text}"`);
  }
  return value;
}

export function parseChoice<T extends string>(name: string, value: string | undefined, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value)) {
    throw new BadRequest(`${name} must be one of ${choices.join(', ')}, not "${value}"`);
  }
  return value as T;
}
