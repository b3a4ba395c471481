import type { FieldIssue } from './api';

/** What the server found wrong, field by field. */
export function Issues({ issues, label }: { issues: FieldIssue[]; label: string }) {
  if (issues.length === 0) return null;
  return (
    <ul class="issues" role="alert" aria-label={label}>
      {issues.map((issue) => (
        <li>
          {issue.path && <code>{issue.path}</code>} {issue.message}
        </li>
      ))}
    </ul>
  );
}
