// Values that outlive a page: kept in localStorage, which every tab of the origin shares.
// Where localStorage throws (sandboxed iframes, storage disabled) they live in memory instead.

const memory = new Map<string, string>();

export function readValue(key: string): string | undefined {
  try {
    return localStorage.getItem(key) ?? undefined;
  } catch {
    return memory.get(key);
  }
}

export function writeValue(key: string, value: string | undefined): void {
  try {
    if (value === undefined) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    if (value === undefined) memory.delete(key);
    else memory.set(key, value);
  }
}
