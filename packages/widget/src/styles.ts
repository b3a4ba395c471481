// Styles reach the shadow root as a constructable stylesheet: no <style> element, so a page
// whose CSP forbids inline styles still renders the widget.
const css = `
:host { all: initial; }
.cxkit {
  all: initial;
  box-sizing: border-box;
  position: fixed;
  inset: auto 16px 16px auto;
  z-index: 2147483000;
  width: min(420px, calc(100vw - 32px));
  padding: 16px;
  border-radius: 12px;
  background: var(--cxkit-background, #ffffff);
  color: var(--cxkit-text, #1f2933);
  box-shadow: 0 8px 32px rgba(0, 0, 0, 0.18);
  font: 15px/1.4 var(--cxkit-font, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif);
}
.cxkit * { box-sizing: border-box; font: inherit; color: inherit; }
.question { display: block; margin: 0 28px 12px 0; font-weight: 600; }
.scale { display: flex; gap: 4px; margin: 0; padding: 0; border: 0; }
.score {
  flex: 1; min-width: 0; height: 36px; padding: 0; cursor: pointer;
  border: 1px solid var(--cxkit-border, #9aa5b1); border-radius: 6px;
  background: var(--cxkit-button, #f5f7fa);
}
.score:hover, .score[aria-checked="true"] { background: var(--cxkit-accent, #3451b2); color: var(--cxkit-accent-text, #ffffff); }
.ends { display: flex; justify-content: space-between; margin-top: 6px; font-size: 12px; }
.close {
  position: absolute; top: 8px; inset-inline-end: 8px; width: 28px; height: 28px;
  border: 0; background: transparent; cursor: pointer; font-size: 20px; line-height: 1;
}
textarea {
  display: block; width: 100%; min-height: 72px; margin: 8px 0; padding: 8px;
  border: 1px solid var(--cxkit-border, #9aa5b1); border-radius: 6px; background: transparent; resize: vertical;
}
.send {
  padding: 8px 16px; border: 0; border-radius: 6px; cursor: pointer;
  background: var(--cxkit-accent, #3451b2); color: var(--cxkit-accent-text, #ffffff);
}
:focus-visible { outline: 2px solid var(--cxkit-focus, #3451b2); outline-offset: 2px; }
`;

let sheet: CSSStyleSheet | undefined;

export function adoptStyles(root: ShadowRoot): void {
  sheet ??= new CSSStyleSheet();
  sheet.replaceSync(css);
  root.adoptedStyleSheets = [sheet];
}
