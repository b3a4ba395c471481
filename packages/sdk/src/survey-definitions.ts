// The definitions chunk (cxkit-definitions.js), imported by the core after start: loading, caching and
// revalidating the survey definitions, and watching the page for what may trigger a survey. Pages
// without surveys load it once the page is idle; nothing in it is needed to send events.
export { createSurveySource } from './surveys';
export { createSurveyTriggers } from './survey-triggers';
