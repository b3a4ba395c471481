// The wire rules of cxkit, shared by the sdk, the widget, the server and the dashboard (docs/protocol.md).
export * from './items.js';
export * from './surveys.js';
export * from './filters.js';
export * from './limits.js';
export * from './scales.js';
export * from './reasons.js';
export * from './locales.js';
export * from './health.js';
export * from './responses.js';
export * from './webhooks.js';
