import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { Hono, type Context } from 'hono';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

// Nothing inline and nothing from elsewhere: a comment that slipped through as markup could
// still not run a script or load anything.
const csp = (frameAncestors: string) =>
  [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "frame-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');
/** The dashboard is never framed; the survey editor's preview only by the dashboard. */
const DASHBOARD_CSP = csp("'none'");
const PREVIEW_CSP = csp("'self'");

/** Serves the built dashboard (dist/dashboard) at /dashboard; its assets are named by content hash. */
export function dashboardFiles(dir: string): Hono {
  const app = new Hono();
  const indexFile = join(dir, 'index.html');
  const built = existsSync(indexFile);
  const index = built ? readFileSync(indexFile, 'utf8') : '';
  const preview = built ? readFileSync(join(dir, 'preview.html'), 'utf8') : '';
  const assetsDir = join(dir, 'assets');
  const assets = new Map(
    (built ? readdirSync(assetsDir) : [])
      .filter((name) => TYPES[extname(name)])
      .map((name) => [name, readFileSync(join(assetsDir, name))]),
  );

  const page = (html: () => string, policy: string) => (c: Context) => {
    if (!built) return c.text('The dashboard is not built yet: run pnpm build.', 503);
    c.header('Content-Security-Policy', policy);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cache-Control', 'no-cache');
    return c.html(html());
  };
  const dashboard = page(() => index, DASHBOARD_CSP);
  app.get('/dashboard', dashboard);
  app.get('/dashboard/', dashboard);
  app.get('/dashboard/preview.html', page(() => preview, PREVIEW_CSP));
  app.get('/dashboard/assets/:file', (c) => {
    const name = c.req.param('file');
    const body = assets.get(name);
    if (!body) return c.notFound();
    c.header('Content-Type', TYPES[extname(name)]!);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Cache-Control', 'public, max-age=31536000, immutable');
    return c.body(new Uint8Array(body));
  });
  return app;
}
