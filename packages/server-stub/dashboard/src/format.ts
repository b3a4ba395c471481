const whole = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const twoDecimals = new Intl.NumberFormat('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export const count = (n: number): string => whole.format(n);
export const percent = (n: number | null): string => (n === null ? '–' : `${oneDecimal.format(n)}%`);
export const signed = (n: number | null): string => (n === null ? '–' : `${n > 0 ? '+' : ''}${whole.format(n)}`);
export const decimal = (n: number | null): string => (n === null ? '–' : twoDecimals.format(n));

/** With a + before a positive number: a difference, with 0, 1 or 2 decimals. */
export const withSign = (n: number, decimals: 0 | 1 | 2): string => `${n > 0 ? '+' : ''}${[whole, oneDecimal, twoDecimals][decimals]!.format(n)}`;

export const span = (range: { low: number; high: number }, format: (n: number) => string): string => `${format(range.low)} to ${format(range.high)}`;

export function interval(range: { low: number; high: number } | null, format: (n: number) => string): string {
  return range ? `95% CI ${span(range, format)}` : 'too few answers for an interval';
}

/** The date of an instant in a time zone, e.g. "3 Mar 2026". */
export const dateIn = (iso: string, timeZone: string): string =>
  new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone }).format(new Date(iso));

/** YYYY-MM-DD today in a time zone. */
export function today(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
