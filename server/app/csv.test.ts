import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../tests/helpers/csv.ts';
import { csvCell, csvRow } from './csv.ts';

describe('CSV cells', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","x")', `"'=HYPERLINK(""http://evil.example"",""x"")"`],
    ['+1+cmd', "'+1+cmd"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
    ['\t=1+1', "'\t=1+1"],
    ['\r=1+1', `"'\r=1+1"`],
  ])('a cell a spreadsheet would run (%j) is made text with a leading quote', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it.each([
    ['12.50', '12.50'],
    ['-0.75', '-0.75'],
    ['-3', '-3'],
    ['营业员1', '营业员1'],
    ['a=b', 'a=b'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['', ''],
  ])('leaves %j as it is (numbers stay numbers), quoted where RFC 4180 says', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('parses back to the text that was meant, behind the quote', () => {
    const cells = ['=1+1', '-5', 'a,"b"\r\nc', '@x'];
    expect(parseCsv(csvRow(cells))).toEqual([["'=1+1", '-5', 'a,"b"\r\nc', "'@x"]]);
  });
});
