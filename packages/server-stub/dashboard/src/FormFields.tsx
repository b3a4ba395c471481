import type { ComponentChildren } from 'preact';
import type { FieldIssue } from './api';
import { getAt, parseValue, valueText, type Draft } from './draft';

/** What every field of the survey form is given: the draft, how to change it, and the server's issues. */
export interface FormProps {
  draft: Draft;
  set: (path: string, value: unknown) => void;
  issues: FieldIssue[];
}

interface FieldProps extends FormProps {
  path: string;
  label: string;
  hint?: string;
}

const idOf = (path: string) => `survey-${path.replace(/\./g, '-')}`;

/** A label, the control, a hint, and what the server said of this field, tied to it for screen readers. */
function Field({ path, label, hint, issues, children }: Omit<FieldProps, 'draft' | 'set'> & { children: (props: ControlProps) => ComponentChildren }) {
  const id = idOf(path);
  const said = issues.filter((issue) => issue.path === path);
  const described = [hint && `${id}-hint`, said.length > 0 && `${id}-issue`].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${said.length > 0 ? ' invalid' : ''}`}>
      <label for={id}>{label}</label>
      {children({ id, 'aria-describedby': described, 'aria-invalid': said.length > 0 ? true : undefined })}
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {said.length > 0 && (
        <p class="field-issue" id={`${id}-issue`}>
          {said.map((issue) => issue.message).join('; ')}
        </p>
      )}
    </div>
  );
}

interface ControlProps {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
}

export function TextField(props: FieldProps & { placeholder?: string; disabled?: boolean; long?: boolean }) {
  const { draft, set, path, placeholder, disabled, long } = props;
  const value = (getAt(draft, path) as string | undefined) ?? '';
  const onInput = (e: Event) => set(path, (e.currentTarget as HTMLInputElement).value);
  return (
    <Field {...props}>
      {(control) =>
        long ? (
          <textarea {...control} rows={2} value={value} placeholder={placeholder} onInput={onInput} />
        ) : (
          <input {...control} type="text" value={value} placeholder={placeholder} disabled={disabled} onInput={onInput} />
        )
      }
    </Field>
  );
}

/** A number; left empty, the field is left out (the server's default holds). */
export function NumberField(props: FieldProps & { min?: number; max?: number; step?: number }) {
  const { draft, set, path, min, max, step } = props;
  const value = getAt(draft, path) as number | undefined;
  return (
    <Field {...props}>
      {(control) => (
        <input
          {...control}
          type="number"
          inputMode="decimal"
          min={min}
          max={max}
          step={step ?? 1}
          value={value ?? ''}
          onInput={(e) => {
            const text = e.currentTarget.value;
            set(path, text === '' ? undefined : Number(text));
          }}
        />
      )}
    </Field>
  );
}

/** A moment, picked in the browser's time zone and kept as an ISO 8601 time in UTC. */
export function MomentField(props: FieldProps) {
  const { draft, set, path } = props;
  const value = getAt(draft, path) as string | undefined;
  const local = (iso: string) => {
    const at = new Date(iso);
    return Number.isNaN(at.getTime()) ? '' : new Date(at.getTime() - at.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  };
  return (
    <Field {...props}>
      {(control) => (
        <input
          {...control}
          type="datetime-local"
          value={value === undefined ? '' : local(value)}
          onInput={(e) => {
            const text = e.currentTarget.value;
            set(path, text === '' ? undefined : new Date(text).toISOString());
          }}
        />
      )}
    </Field>
  );
}

/** A choice; the empty option leaves the field out. */
export function SelectField(props: FieldProps & { options: [value: string, label: string][]; empty?: string }) {
  const { draft, set, path, options, empty } = props;
  const value = getAt(draft, path);
  return (
    <Field {...props}>
      {(control) => (
        <select
          {...control}
          value={value === undefined ? '' : String(value)}
          onChange={(e) => {
            const chosen = options.find(([option]) => option === e.currentTarget.value)?.[0];
            set(path, chosen === undefined ? undefined : /^\d+$/.test(chosen) ? Number(chosen) : chosen);
          }}
        >
          {empty !== undefined && <option value="">{empty}</option>}
          {options.map(([option, label]) => (
            <option value={option}>{label}</option>
          ))}
        </select>
      )}
    </Field>
  );
}

const OPS: [string, string][] = [
  ['eq', 'is'],
  ['neq', 'is not'],
  ['gt', '>'],
  ['gte', '≥'],
  ['lt', '<'],
  ['lte', '≤'],
  ['contains', 'contains'],
  ['in', 'is one of'],
  ['exists', 'is set'],
];

interface Filter {
  key?: string;
  op?: string;
  value?: unknown;
}

/** Conditions on event properties or user traits, one row each. */
export function FilterRows({ draft, set, issues, path, label, keyLabel }: FormProps & { path: string; label: string; keyLabel: string }) {
  const rows = (getAt(draft, path) as Filter[] | undefined) ?? [];
  const update = (rows: Filter[]) => set(path, rows.length === 0 ? undefined : rows);
  const said = issues.filter((issue) => issue.path === path);
  return (
    <fieldset class="filters-field">
      <legend>{label}</legend>
      {rows.map((row, index) => {
        const at = `${path}.${index}`;
        const fieldProps = { draft, set, issues };
        return (
          <div class="filter-row" role="group" aria-label={`Condition ${index + 1}`}>
            <TextField {...fieldProps} path={`${at}.key`} label={keyLabel} />
            <SelectField
              {...fieldProps}
              set={(opPath, op) => {
                set(opPath, op);
                // The value follows its condition: none for "is set", a list for "is one of" and only then.
                const value = row.value;
                if (op === 'exists') set(`${at}.value`, undefined);
                else if (op === 'in' && value !== undefined && !Array.isArray(value)) set(`${at}.value`, [value]);
                else if (op !== 'in' && Array.isArray(value)) set(`${at}.value`, value[0]);
              }}
              path={`${at}.op`}
              label="Condition"
              options={OPS}
              empty="…"
            />
            {row.op !== 'exists' && (
              <Field path={`${at}.value`} label={row.op === 'in' ? 'Values, separated by commas' : 'Value'} issues={issues}>
                {(control) => (
                  <input
                    {...control}
                    type="text"
                    value={Array.isArray(row.value) ? row.value.map(valueText).join(', ') : valueText(row.value)}
                    onInput={(e) => {
                      const text = e.currentTarget.value;
                      const value = row.op === 'in' ? text.split(',').map((part) => parseValue(part.trim())).filter((part) => part !== '') : parseValue(text);
                      set(`${at}.value`, text === '' ? undefined : value);
                    }}
                  />
                )}
              </Field>
            )}
            <button type="button" class="quiet" onClick={() => update(rows.filter((_, i) => i !== index))}>
              Remove<span class="visually-hidden"> condition {index + 1}</span>
            </button>
          </div>
        );
      })}
      {said.length > 0 && <p class="field-issue">{said.map((issue) => issue.message).join('; ')}</p>}
      <p class="hint">Numbers and true/false are read as such; put text in quotes to keep it text ("42").</p>
      <button type="button" onClick={() => update([...rows, { op: 'eq' }])}>
        Add condition
      </button>
    </fieldset>
  );
}
