import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

/** Where the cxkit server runs; it also serves the script-tag build under /sdk/. */
const server = (process.env.CXKIT_SERVER ?? 'http://127.0.0.1:8787').replace(/\/$/, '');

// The demo embeds cxkit the way a customer would: the inline loader snippet pointing at the
// server's /sdk/cxkit.js, then init(). Nothing is bundled into the app.
function cxkitSnippet(): Plugin {
  return {
    name: 'cxkit-snippet',
    transformIndexHtml(html) {
      const loader = readFileSync(fileURLToPath(import.meta.resolve('@cxkit/sdk/cdn/loader.js')), 'utf8')
        .trim()
        .replace('__CXKIT_SRC__', `${server}/sdk/cxkit.js`);
      const init = `cxkit.init({ writeKey: 'pk_demo', host: '${server}', debug: true });`;
      return html.replace('<!-- cxkit -->', `<script>${loader}\n${init}</script>`);
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [cxkitSnippet()],
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
});
