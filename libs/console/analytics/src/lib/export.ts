/** A table as a CSV download (UTF-8 with a byte-order mark so Excel shows Chinese), built in the browser from what the page shows. */
export function downloadCsv(filename: string, rows: (string | number)[][]): void {
  const cell = (v: string | number) => {
    const s = String(v);
    return /[",\n\r]/.test(s) || /^[=+\-@]/.test(s) ? `"${(/^[=+\-@]/.test(s) && typeof v === 'string' ? `'${s}` : s).replace(/"/g, '""')}"` : s;
  };
  const text = '\ufeff' + rows.map((r) => r.map(cell).join(',')).join('\r\n');
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
