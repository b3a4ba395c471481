import type { Context, MiddlewareHandler } from 'hono';
import type { ProjectsPort } from './ports.js';

const ALLOW_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';

/**
 * CORS for /v1. What the public write key uses (the batch, survey definitions) is readable from any
 * page (the sdk must see a 401 or a 413 to act on it) until the write key's project is known; then
 * `admitOrigin` narrows it to the project's origins. What the secret read key uses is readable only
 * where `admitReadOrigin` says so. Preflights carry no key: for the write key's paths they are
 * answered the same for everyone; for the read key's, only to an origin some project reads from.
 */
export function openCors(projects: Pick<ProjectsPort, 'readOriginsInUse'>): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method === 'OPTIONS') {
      const origin = c.req.header('origin');
      if (usesWriteKey(c)) c.header('Access-Control-Allow-Origin', '*');
      else if (origin !== undefined && mayRead(await projects.readOriginsInUse(), origin)) {
        c.header('Access-Control-Allow-Origin', origin);
        c.header('Vary', 'Origin');
      } else return c.body(null, 204);
      // The survey admin API (read key) replaces, pauses and deletes too.
      c.header('Access-Control-Allow-Methods', ALLOW_METHODS);
      c.header('Access-Control-Allow-Headers', 'Content-Type, Authorization');
      c.header('Access-Control-Max-Age', '86400');
      return c.body(null, 204);
    }
    c.header('Access-Control-Allow-Origin', '*');
    // Not a CORS-safelisted header: without this the sdk could not honour Retry-After.
    c.header('Access-Control-Expose-Headers', 'Retry-After');
    await next();
  };
}

/** The batch, and survey definitions as the sdk loads them: what a page holding the write key calls. */
function usesWriteKey(c: Context): boolean {
  return c.req.path === '/v1/batch' || (c.req.path === '/v1/surveys' && c.req.query('writeKey') !== undefined);
}

/**
 * Whether the request's page may use this project's read key: one on the server's own origin (the
 * dashboard) or on one of the project's read origins. Asked once the key is known, so the key's
 * holder may be told how to allow the origin; a refused origin gets no Access-Control-Allow-Origin.
 * A request without Origin is no browser's cross-origin one, and is answered without CORS headers.
 */
export function admitReadOrigin(c: Context, readOrigins: string[]): boolean {
  const origin = c.req.header('origin');
  c.header('Access-Control-Allow-Origin', undefined);
  // The answer depends on the Origin: a cache must not hand one origin's answer to another.
  c.header('Vary', 'Origin', { append: true });
  if (origin === undefined || isOwnOrigin(c, origin)) return true;
  if (!mayRead(readOrigins, origin)) return false;
  c.header('Access-Control-Allow-Origin', origin);
  return true;
}

/**
 * Whether the page is on the origin the request was sent to. Browsers send Origin on a same-origin
 * POST, PUT, PATCH or DELETE too, so this is how the dashboard's own requests pass. Host is what the
 * browser addressed (the scheme is left out: behind a TLS proxy the server sees plain http);
 * Sec-Fetch-Site, which no page can set, covers a proxy that rewrites Host.
 */
function isOwnOrigin(c: Context, origin: string): boolean {
  if (c.req.header('sec-fetch-site') === 'same-origin') return true;
  try {
    return new URL(origin).host === new URL(c.req.url).host;
  } catch {
    return false; // "null" (a sandboxed frame, a file) is nobody's own origin
  }
}

/** A secret key is never readable from just any page: `*` in a list of read origins allows none. */
const mayRead = (readOrigins: string[], origin: string): boolean =>
  readOrigins.some((pattern) => pattern !== '*' && originMatches(pattern, origin));

/**
 * Whether a page on the request's origin may use this project. Browsers send the batch as
 * text/plain without a preflight, so this is decided on the request itself: a refused origin's
 * items are not stored. The refusal stays readable (Access-Control-Allow-Origin: *): it holds no
 * data, and only a page that can read it can tell its developer which origin to allow, instead of
 * retrying what looks like a network failure.
 */
export function admitOrigin(c: Context, allowedOrigins: string[]): boolean {
  const origin = c.req.header('origin');
  // Only browsers send Origin; the write key is public, so servers and scripts may always post.
  if (origin === undefined || allowedOrigins.includes('*')) return true;
  c.header('Vary', 'Origin');
  if (!allowedOrigins.some((pattern) => originMatches(pattern, origin))) return false;
  c.header('Access-Control-Allow-Origin', origin);
  return true;
}

/** `*`, an exact origin, or `https://*.example.com` for any subdomain of example.com. */
export function originMatches(pattern: string, origin: string): boolean {
  if (pattern === '*' || pattern === origin) return true;
  const wildcard = pattern.indexOf('://*.');
  if (wildcard === -1) return false;
  const scheme = pattern.slice(0, wildcard + 3);
  const suffix = pattern.slice(wildcard + 4);
  return origin.startsWith(scheme) && origin.endsWith(suffix) && origin.length > scheme.length + suffix.length;
}

/** Turns what a self-hoster typed into the form browsers send, or explains what is wrong. */
export function normalizeOrigin(input: string): string {
  const text = input.trim();
  if (text === '*') return '*';
  const wildcard = /^https?:\/\/\*\./i.test(text);
  let url: URL;
  try {
    url = new URL(wildcard ? text.replace('*.', 'wildcard.') : text);
  } catch {
    throw new Error(`"${input}" is not an origin; write it like https://app.example.com`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`"${input}" is not an http(s) origin; write it like https://app.example.com`);
  }
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    throw new Error(`"${input}" has more than an origin; use ${url.origin} (scheme, host and port only)`);
  }
  return wildcard ? url.origin.replace('://wildcard.', '://*.') : url.origin;
}
