import type { Context, MiddlewareHandler } from 'hono';

/**
 * CORS for /v1. Answers are readable from any page (the sdk must see a 401 or a 413 to act on
 * it) until the write key's project is known; then `admitOrigin` narrows them to the project's
 * origins. Preflights carry no key, so they are answered the same for everyone.
 */
export const openCors: MiddlewareHandler = async (c, next) => {
  c.header('Access-Control-Allow-Origin', '*');
  // Not a CORS-safelisted header: without this the sdk could not honour Retry-After.
  c.header('Access-Control-Expose-Headers', 'Retry-After');
  if (c.req.method === 'OPTIONS') {
    // Every method /v1 answers: the survey admin API (read key) replaces, pauses and deletes too.
    c.header('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
    c.header('Access-Control-Allow-Headers', 'Content-Type, Authorization');
    c.header('Access-Control-Max-Age', '86400');
    return c.body(null, 204);
  }
  await next();
};

/**
 * Whether a page on the request's origin may use this project. Browsers send the batch as
 * text/plain without a preflight, so this is decided on the request itself: a refused origin
 * gets no Access-Control-Allow-Origin, and its items are not stored.
 */
export function admitOrigin(c: Context, allowedOrigins: string[]): boolean {
  const origin = c.req.header('origin');
  // Only browsers send Origin; the write key is public, so servers and scripts may always post.
  if (origin === undefined || allowedOrigins.includes('*')) return true;
  if (!allowedOrigins.some((pattern) => originMatches(pattern, origin))) {
    c.header('Access-Control-Allow-Origin', undefined);
    return false;
  }
  c.header('Access-Control-Allow-Origin', origin);
  c.header('Vary', 'Origin');
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
