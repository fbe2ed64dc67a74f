import { parse } from 'csv-parse/sync';
import { spreadsheetCsv } from '../spreadsheetCsv';

describe('CSV for spreadsheets', () => {
  it.each(['=1+1', '+1', '-1+1', '@SUM(A1)', '\t=1', '\r=1', '=HYPERLINK("http://attacker.example","x")'])('writes text that starts like a formula (%j) as text', (text) => {
    const [row] = parse(spreadsheetCsv([[text]], {})) as string[][];
    expect(row).toEqual([`'${text}`]);
  });

  it('writes other text and numbers, negative ones too, as they are', () => {
    const [row] = parse(spreadsheetCsv([['Credit', 'a = b', -500, 12.5, '']], {})) as string[][];
    expect(row).toEqual(['Credit', 'a = b', '-500', '12.5', '']);
  });
});
