// The dashboard's only way to the server: the read API with the key the user typed in.

export class Unauthorized extends Error {}

export interface FieldIssue {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
  }
}

const KEY = 'cxkit.readKey';

/** The read key lives for this tab's session only, never in localStorage. */
export const savedKey = (): string | null => sessionStorage.getItem(KEY);
export const saveKey = (key: string): void => sessionStorage.setItem(KEY, key);
export const forgetKey = (): void => sessionStorage.removeItem(KEY);

export async function request(key: string, path: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
  const response = await fetch(path, {
    method: init.method ?? 'GET',
    headers: {
      Authorization: `Bearer ${key}`,
      ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
  });
  if (response.status === 401) throw new Unauthorized('the read key was not accepted');
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: string; issues?: FieldIssue[] };
    throw new ApiError(body.error ?? `the server answered ${response.status}`, response.status, body.issues);
  }
  return response;
}

export async function getJson<T>(key: string, path: string): Promise<T> {
  return (await (await request(key, path)).json()) as T;
}

export const query = (params: Record<string, string | number | undefined>): string =>
  new URLSearchParams(Object.entries(params).flatMap(([k, v]) => (v === undefined || v === '' ? [] : [[k, String(v)]]))).toString();
