// CSV as RFC 4180 writes it (CRLF, quotes doubled, fields with , " CR LF quoted), made safe for
// spreadsheets: text starting with = + - @ (or tab / CR) would run as a formula, so it gets a
// leading apostrophe (OWASP, "CSV Injection").

const FORMULA_START = /^[=+\-@\t\r]/;

function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(cells: readonly (string | number | boolean | null)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
