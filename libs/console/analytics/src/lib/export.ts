/**
 * Every table of the analytics page as an .xlsx file, through this one function: rows as shown, the
 * first row(s) saying what the table is (scope, period), then the header and the body. Numbers stay
 * numbers; strings are written as text cells, never as formulas (a name starting with "=" is just text).
 *
 * The writer is `write-excel-file` (MIT, one small dependency, fflate), imported on the first export
 * only, so it is in its own chunk and adds nothing to the page until someone downloads a table.
 */
export type Cell = string | number | null;

/** Sheet names may not hold []:*?/\ and are at most 31 characters. */
export const sheetNameOf = (s: string) => s.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Sheet1';

export async function downloadXlsx(filename: string, sheetName: string, rows: Cell[][]): Promise<void> {
  const { default: writeXlsxFile } = await import('write-excel-file/browser');
  const data = rows.map((r) => r.map((v) => (v === null || v === '' ? null : typeof v === 'number' ? (Number.isFinite(v) ? v : null) : { value: String(v), type: String })));
  await writeXlsxFile(data, { sheet: sheetNameOf(sheetName) }).toFile(filename);
}
