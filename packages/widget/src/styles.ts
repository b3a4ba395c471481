// Styles reach the shadow root as a constructable stylesheet: no <style> element, so a page whose
// CSP forbids inline styles still renders the widget. Sizes are in px, never rem: the page's root
// font size must not scale the prompt. Colours meet WCAG 2.2 AA (text 4.5:1, controls 3:1) in both
// themes; hosts theme it with the --cxkit-* properties (docs/widget.md). One string a line, which the
// minifier joins into one without line breaks.

const dark =
  '--bg:var(--cxkit-background,#1c2128);--fg:var(--cxkit-text,#e6edf3);--muted:var(--cxkit-muted,#a8b3bf);' +
  '--line:var(--cxkit-border,#8b949e);--accent:var(--cxkit-accent,#91a7ff);--on-accent:var(--cxkit-accent-text,#0d1117);' +
  '--shadow:0 8px 32px #000a;';

const css =
  ':host{all:initial!important;display:block!important}' +
  ':host([popover]){position:fixed!important;inset:0 auto auto 0!important}' +
  '.card{' +
  '--bg:var(--cxkit-background,#fff);--fg:var(--cxkit-text,#1f2933);--muted:var(--cxkit-muted,#52606d);' +
  '--line:var(--cxkit-border,#7b8794);--accent:var(--cxkit-accent,#3451b2);--on-accent:var(--cxkit-accent-text,#fff);' +
  '--shadow:0 8px 32px #0003;' +
  'box-sizing:border-box;position:fixed;z-index:var(--cxkit-z-index,2147483000);width:min(400px,calc(100vw - 32px));' +
  'padding:16px;border:1px solid var(--line);border-radius:var(--cxkit-radius,12px);background:var(--bg);color:var(--fg);' +
  'box-shadow:var(--shadow);font:15px/1.4 var(--cxkit-font,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);' +
  'text-align:start;animation:cxkit-in .2s ease-out;outline:0' +
  '}' +
  '.dark{' + dark + '}' +
  '@media(prefers-color-scheme:dark){.auto{' + dark + '}}' +
  '@keyframes cxkit-in{from{opacity:0;transform:translateY(8px)}}' +
  '@media(prefers-reduced-motion:reduce){.card{animation:none}}' +
  '.card *{box-sizing:border-box;margin:0;font:inherit;color:inherit}' +
  '.bottom-right,.bottom-left{bottom:calc(16px + env(safe-area-inset-bottom,0px))}' +
  '.top-right,.top-left{top:calc(16px + env(safe-area-inset-top,0px))}' +
  '.bottom-right,.top-right{right:calc(16px + env(safe-area-inset-right,0px))}' +
  '.bottom-left,.top-left{left:calc(16px + env(safe-area-inset-left,0px))}' +
  '.backdrop{position:fixed;inset:0;z-index:var(--cxkit-z-index,2147483000);display:grid;place-items:center;background:#0f172a80}' +
  '.center{position:relative}' +
  '.inline{position:relative;width:auto;box-shadow:none}' +
  '@media(max-width:480px){.card:not(.inline){position:fixed;inset:auto 0 0;width:100%;border-width:1px 0 0;border-radius:16px 16px 0 0;padding-bottom:calc(16px + env(safe-area-inset-bottom,0px))}}' +
  '.question{display:block;margin-bottom:12px;margin-inline-end:32px;font-weight:600}' +
  '.thanks{margin-bottom:0}' +
  '.scale{display:flex;gap:4px}' +
  '.score{flex:1;min-width:0;height:40px;padding:0;border:1px solid var(--line);border-radius:6px;background:var(--bg);cursor:pointer;font-variant-numeric:tabular-nums}' +
  '.faces .score{height:48px}' +
  '.score svg{width:32px;height:32px;fill:none;stroke:currentColor;stroke-width:1.5;stroke-linecap:round;vertical-align:middle}' +
  '.score:hover,.score:focus-visible{background:var(--accent);color:var(--on-accent);border-color:var(--accent)}' +
  '.ends{display:flex;justify-content:space-between;gap:8px;margin-top:6px;font-size:13px;color:var(--muted)}' +
  '.ends span:last-child{text-align:end}' +
  '.actions{display:flex;flex-wrap:wrap;gap:4px 16px;margin-top:12px}' +
  '.link{min-height:24px;padding:0;border:0;background:none;cursor:pointer;font-size:13px;color:var(--muted);text-decoration:underline}' +
  '.close{position:absolute;top:8px;inset-inline-end:8px;display:grid;place-items:center;width:32px;height:32px;padding:0;border:0;border-radius:6px;background:none;cursor:pointer}' +
  '.close svg{width:16px;height:16px;stroke:currentColor;stroke-width:2;stroke-linecap:round}' +
  'textarea{display:block;width:100%;min-height:80px;margin:8px 0 12px;padding:8px;border:1px solid var(--line);border-radius:6px;background:var(--bg);resize:vertical}' +
  'textarea::placeholder{color:var(--muted);opacity:1}' +
  '.send{min-height:40px;padding:8px 20px;border:0;border-radius:6px;background:var(--accent);color:var(--on-accent);cursor:pointer;font-weight:600}' +
  ':focus-visible{outline:3px solid var(--cxkit-focus,var(--accent));outline-offset:2px}' +
  '.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}';

let sheet: CSSStyleSheet | undefined;

export function adoptStyles(root: ShadowRoot): void {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
  }
  root.adoptedStyleSheets = [sheet];
}
