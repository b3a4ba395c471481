// The inline snippet: defines window.cxkit at once so calls made before cxkit.js arrives are queued,
// then loads cxkit.js asynchronously. Hosts paste the minified dist/cdn/loader.js and replace
// __CXKIT_SRC__ with the URL of their cxkit.js.
((w: Window & { cxkit?: unknown }, d: Document, src: string) => {
  if (w.cxkit) return;
  const q: unknown[] = [];
  const stub: Record<string, unknown> = { q };
  for (const method of ['init', 'identify', 'group', 'track', 'showSurvey', 'flush', 'optOut', 'optIn', 'reset', 'on']) {
    stub[method] = (...args: unknown[]) => {
      q.push([method, args]);
    };
  }
  w.cxkit = stub;
  const script = d.createElement('script');
  script.async = true;
  script.src = src;
  d.head.appendChild(script);
})(window, document, '__CXKIT_SRC__');
