/**
 * A CSV table as spreadsheets write it (RFC 4180 quoting): a UTF-8 BOM dropped, the separator `;`
 * or `,` chosen from the header line (Excel in a Romanian locale writes `;`, because the comma is
 * the decimal mark there), quoted fields with `""` for a quote and line breaks inside, CRLF or LF.
 * Each record keeps the line number it starts on, so a report can point the user at it.
 */
export interface CsvTable {
  separator: ';' | ',';
  header: string[];
  rows: Array<{ line: number; cells: string[] }>;
}

export class CsvSyntaxError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(message);
    this.line = line;
  }
}

/** `;` when the header line has more of them outside quotes than commas (a tie, or none: `,`). */
export function detectSeparator(headerLine: string): ';' | ',' {
  let semi = 0;
  let comma = 0;
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === ';') semi++;
    else if (!quoted && ch === ',') comma++;
  }
  return semi > comma ? ';' : ',';
}

export function parseCsv(text: string): CsvTable {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const firstBreak = src.search(/\r?\n/);
  const separator = detectSeparator(firstBreak === -1 ? src : src.slice(0, firstBreak));
  const records: Array<{ line: number; cells: string[] }> = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let quoteLine = 1;
  let wasQuoted = false;
  const endCell = () => {
    cells.push(wasQuoted ? cell : cell.trim());
    cell = '';
    wasQuoted = false;
  };
  const endRecord = () => {
    endCell();
    // A line with nothing on it (or only separators) is no record: spreadsheets leave them at the end.
    if (cells.some((c) => c !== '')) records.push({ line: recordLine, cells });
    cells = [];
  };
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
      continue;
    }
    if (ch === '"' && cell.trim() === '' && !wasQuoted) {
      quoted = true;
      wasQuoted = true;
      quoteLine = line;
      cell = '';
    } else if (ch === separator) endCell();
    else if (ch === '\r' && src[i + 1] === '\n') continue;
    else if (ch === '\n' || ch === '\r') {
      endRecord();
      line++;
      recordLine = line;
    } else if (wasQuoted) {
      // Text after a closing quote ("ab"c): a field a spreadsheet would not write.
      if (ch !== ' ' && ch !== '\t') throw new CsvSyntaxError(line, `line ${line}: text after a closing quote`);
    } else cell += ch;
  }
  if (quoted) throw new CsvSyntaxError(quoteLine, `line ${quoteLine}: a quote is opened and never closed`);
  if (cell !== '' || cells.length > 0 || wasQuoted) endRecord();
  const [head, ...rows] = records;
  return { separator, header: head?.cells ?? [], rows };
}

/** A column name as a key: lower case, without diacritics, words joined by `_` ("Cod de bare" → cod_de_bare). */
export const columnKey = (name: string) =>
  name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
