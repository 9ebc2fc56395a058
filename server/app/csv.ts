/**
 * CSV for spreadsheets: RFC 4180 quoting, and no cell that a spreadsheet would run as a formula. A
 * cell beginning with `=`, `+`, `-`, `@`, a tab or a carriage return (a staff name, a service name, an
 * audited value) gets a leading `'` (OWASP's advice on CSV injection), so Excel shows it as the text it
 * is; plain numbers, negative ones included, stay numbers.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NUMBER = /^-?\d+(\.\d+)?$/;

export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) && !NUMBER.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV line (CRLF-terminated) of the given cells. */
export const csvRow = (cells: readonly string[]): string => `${cells.map(csvCell).join(',')}\r\n`;
