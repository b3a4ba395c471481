// A survey being edited, as the JSON the server checks: the form reads and writes it by the same
// dot paths the server names its issues by ("trigger.where.0.value"), so an issue finds its field.

export type Draft = Record<string, unknown>;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function getAt(draft: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (isRecord(node) || Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined), draft);
}

/**
 * The draft with `value` at `path`. An empty value (undefined or '') leaves the field out, and an
 * object left empty by that goes too, so what is sent holds only what the form sets.
 */
export function setAt(draft: Draft, path: string, value: unknown): Draft {
  const [key, ...rest] = path.split('.') as [string, ...string[]];
  const child = rest.length === 0 ? value : setAt(toContainer(draft[key], rest[0]!), rest.join('.'), value);
  if (Array.isArray(draft)) {
    const copy = [...draft];
    copy[Number(key)] = child;
    return copy as unknown as Draft;
  }
  const { [key]: _, ...others } = draft;
  return isEmpty(child) ? others : { ...others, [key]: child };
}

function toContainer(node: unknown, nextKey: string): Draft {
  if (isRecord(node) || Array.isArray(node)) return node as Draft;
  return (/^\d+$/.test(nextKey) ? [] : {}) as Draft;
}

const isEmpty = (value: unknown): boolean =>
  value === undefined || value === '' || (isRecord(value) && Object.keys(value).length === 0);

/** A condition's value as typed: numbers and true/false as such, text in quotes kept as text. */
export function parseValue(text: string): string | number | boolean {
  const trimmed = text.trim();
  if (/^".*"$/.test(trimmed)) return trimmed.slice(1, -1);
  if (trimmed === 'true' || trimmed === 'false') return trimmed === 'true';
  if (trimmed !== '' && Number.isFinite(Number(trimmed))) return Number(trimmed);
  return text;
}

/** A value as the condition's input shows it; text that would read as a number or true/false gets quotes. */
export function valueText(value: unknown): string {
  if (typeof value === 'string') return parseValue(value) === value ? value : `"${value}"`;
  return value === undefined ? '' : String(value);
}
