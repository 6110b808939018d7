import { describe, expect, it } from 'vitest';
import { columnKey, CsvSyntaxError, detectSeparator, parseCsv } from './parse-csv.ts';

describe('parseCsv: the files spreadsheets write', () => {
  it.each([
    ['comma, LF', 'sku,name\nA-1,Cană\n', ',', [['A-1', 'Cană']]],
    ['semicolon (Romanian Excel), CRLF', 'sku;name;price\r\nA-1;Cană;12,50\r\n', ';', [['A-1', 'Cană', '12,50']]],
    ['UTF-8 BOM dropped', '\uFEFFsku;name\nA-1;Șosetă\n', ';', [['A-1', 'Șosetă']]],
    ['quoted separator, quote and line break', 'sku,name\n"A,1","Set ""Ţară""\nde 2"\n', ',', [['A,1', 'Set "Ţară"\nde 2']]],
    ['blank and separator-only lines skipped', 'sku;qty\n\nA-1;3\n;\n\n', ';', [['A-1', '3']]],
    ['unquoted cells trimmed, quoted kept', 'a,b\n  x  ," y "\n', ',', [['x', ' y ']]],
    ['no final line break', 'a;b\n1;2', ';', [['1', '2']]],
    ['empty cells kept', 'a;b;c\n1;;3\n', ';', [['1', '', '3']]],
  ])('%s', (_name, text, separator, rows) => {
    const t = parseCsv(text);
    expect(t.separator).toBe(separator);
    expect(t.rows.map((r) => r.cells)).toEqual(rows);
  });

  it('numbers every record by the line it starts on, quoted line breaks counted', () => {
    const t = parseCsv('sku;name\n"A-1";"two\nlines"\n\nA-2;x\n');
    expect(t.header).toEqual(['sku', 'name']);
    expect(t.rows.map((r) => r.line)).toEqual([2, 5]);
  });

  it('refuses a quote never closed, naming the line it opens on', () => {
    expect(() => parseCsv('a;b\n1;2\n3;"open\n4;5\n')).toThrow(CsvSyntaxError);
    try {
      parseCsv('a;b\n1;2\n3;"open\n4;5\n');
    } catch (e) {
      expect((e as CsvSyntaxError).line).toBe(3);
    }
    expect(() => parseCsv('a,b\n"x"y,2\n')).toThrow(/line 2: text after a closing quote/);
  });

  it.each([
    ['sku;name;price', ';'],
    ['sku,name,price', ','],
    ['"a;b",c,d', ','],
    ['single', ','],
    ['a;b,c', ','],
  ])('separator of %s is %s', (line, sep) => expect(detectSeparator(line)).toBe(sep));

  it.each([
    ['Cod de bare', 'cod_de_bare'],
    ['Greutate (kg)', 'greutate_kg'],
    ['  Locație ', 'locatie'],
    ['Lățime_cm', 'latime_cm'],
    ['ÎNĂLȚIME cm', 'inaltime_cm'],
    ['Ordine culegere', 'ordine_culegere'],
  ])('column %s is %s', (name, key) => expect(columnKey(name)).toBe(key));
});
