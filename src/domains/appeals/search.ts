import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

/**
 * Chinese search by words. Most Chinese words are two characters, which pg_trgm's index cannot
 * serve; jieba cuts the text instead, and the appeal keeps its words in a GIN-indexed text[].
 * Documents are cut in search mode (小区停车难 → 小区, 停车, 停车难) so that a query for a
 * shorter word inside a longer one still matches; queries are cut precisely and every word must
 * be present.
 */
let jieba: Jieba | undefined;
function segmenter(): Jieba {
  // Loading the dictionary takes ~0.2 s: once per process, and only when first needed.
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

const MAX_WORD = 64;

function normalize(words: string[]): string[] {
  const seen = new Set<string>();
  for (const raw of words) {
    // NFKC folds full-width letters and digits (ＡＢ１２ → ab12), which exports are full of.
    // Letters, digits and combining marks only: punctuation never matters to a search, and a
    // word without quotes, commas or braces writes into a text[] literal (COPY) unescaped.
    const word = raw.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}\p{M}]/gu, '');
    if (word.length === 0 || word.length > MAX_WORD) continue;
    seen.add(word);
  }
  return [...seen];
}

/** The words an appeal is found by: its description and address, cut in search mode. */
export function searchWords(...texts: Array<string | null | undefined>): string[] {
  const text = texts.filter((t): t is string => Boolean(t)).join(' ');
  return normalize(segmenter().cutForSearch(text.normalize('NFKC'), true));
}

/** The words a query must all match. */
export function queryWords(query: string): string[] {
  return normalize(segmenter().cut(query.normalize('NFKC'), true));
}
