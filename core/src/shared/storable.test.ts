import { describe, expect, it } from 'vitest';
import { findUnstorableText, jsonMayHoldUnstorableText } from './storable.ts';

const texts = [
  '{"note":"plain","lines":[{"sku":"A","qty":1}]}',
  '{"note":"a\\u0000b"}',
  '{"note":"lone \\ud800 half"}',
  '{"note":"lone low \\uDC00 half"}',
  '{"note":"a pair \\ud83d\\ude00 is fine"}',
  '{"note":"an emoji 😀 raw"}',
  '{"note":"an escaped backslash \\\\u0000 is text"}',
  '{"bad\\u0000key":1}',
  '{"note":"\\u00e9 and \\u0041"}',
  '{"deep":[[{"x":["\\ud801"]}]]}',
];

describe('jsonMayHoldUnstorableText', () => {
  it.each(texts)('never says no where the walk finds an unstorable string: %s', (text) => {
    const found = findUnstorableText(JSON.parse(text));
    if (found) expect(jsonMayHoldUnstorableText(text)).toBe(true);
  });

  it('says no for a text without NUL or surrogate escapes, so the walk is skipped', () => {
    expect(jsonMayHoldUnstorableText(texts[0]!)).toBe(false);
    expect(jsonMayHoldUnstorableText(texts[5]!)).toBe(false);
    expect(jsonMayHoldUnstorableText(texts[8]!)).toBe(false);
  });

  it('finds the NUL, the lone halves and the bad key through the walk it lets run', () => {
    const paths = texts.filter(jsonMayHoldUnstorableText).map((t) => findUnstorableText(JSON.parse(t))?.path ?? null);
    expect(paths).toEqual(['note', 'note', 'note', null, null, 'bad?key', 'deep[0][0].x[0]']);
  });
});
