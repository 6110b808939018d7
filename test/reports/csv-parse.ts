/** An RFC 4180 reader (quoted fields, doubled quotes, CRLF), written apart from the core's writer so a test compares two implementations. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) throw new Error('the CSV does not end with CRLF');
  return rows;
}

/** The JSON rows as the CSV must write them: the columns in order, null as empty, everything else as its text. */
export const asCsvCells = (columns: string[], rows: Array<Record<string, unknown>>): string[][] =>
  rows.map((r) => columns.map((k) => (r[k] === null || r[k] === undefined ? '' : String(r[k]))));
