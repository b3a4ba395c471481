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

/**
 * Rows of a CSV text as RFC 4180 writes it (quotes doubled inside quoted fields, which may hold
 * commas and line breaks), taking LF as well as CRLF; a final line break adds no row. Null when a
 * quote is left open.
 */
export function parseCsv(text: string): string[][] | null {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a spreadsheet's byte-order mark
  for (; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char !== '"') cell += char;
      else if (text[i + 1] === '"') (cell += '"'), i++;
      else quoted = false;
    } else if (char === '"' && cell === '') quoted = true;
    else if (char === ',') row.push(cell), (cell = '');
    else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      row.push(cell), rows.push(row), (row = []), (cell = '');
    } else cell += char;
  }
  if (quoted) return null;
  if (cell !== '' || row.length > 0) row.push(cell), rows.push(row);
  return rows;
}
