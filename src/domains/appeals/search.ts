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

/** Loads jieba's dictionary now, in a reader's worker that has nothing else to do yet. */
export function prepareSearchWords(): void {
  segmenter();
}

const MAX_WORD = 64;

/**
 * True when NFKC, toLowerCase and the letters/digits/marks filter below all leave `word` as it is:
 * only ASCII lower-case letters, digits and CJK unified ideographs (U+4E00–U+9FFF, which have no
 * decomposition and no case). Nearly every word jieba returns is one, and the check costs far
 * less than the three steps it skips.
 */
function isPlain(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (!((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39))) return false;
  }
  return true;
}

function normalize(words: string[]): string[] {
  const seen = new Set<string>();
  for (const raw of words) {
    if (raw.length <= MAX_WORD && raw.length > 0 && isPlain(raw)) {
      seen.add(raw);
      continue;
    }
    // NFKC folds full-width letters and digits (ＡＢ１２ → ab12), which exports are full of.
    // Letters, digits and combining marks only: punctuation never matters to a search, and a
    // word without quotes, commas or braces writes into a text[] literal (COPY) unescaped.
    const word = raw
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M}]/gu, '');
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

/**
 * Joins the texts of a batch for one cut: a private-use character, which NFKC leaves as it is,
 * jieba's word pattern does not take in, and so comes back as a word of its own between the
 * words of two texts.
 */
const SEPARATOR = '\uE000';

/**
 * `searchWords` of many appeals with one call into jieba. Called once per row, jieba took a third
 * of an import's parse, part of it spent finding its dictionary out of the cache again; cut in
 * batches of a few hundred, the same texts cost about a third less. Each text still comes out as
 * cut alone: the separator ends jieba's runs of words on both sides (test/appeals/rules.test.ts).
 * A batch where a text holds the separator itself is cut text by text.
 */
export function searchWordsOfMany(texts: ReadonlyArray<ReadonlyArray<string | null | undefined>>): string[][] {
  if (texts.length === 0) return [];
  const joined = texts.map((parts) =>
    parts
      .filter((t): t is string => Boolean(t))
      .join(' ')
      .normalize('NFKC'),
  );
  if (joined.some((text) => text.includes(SEPARATOR))) return texts.map((parts) => searchWords(...parts));
  const words = segmenter().cutForSearch(joined.join(SEPARATOR), true);
  const out: string[][] = [];
  let from = 0;
  for (let i = 0; i <= words.length; i++) {
    if (i === words.length || words[i] === SEPARATOR) {
      out.push(normalize(words.slice(from, i)));
      from = i + 1;
    }
  }
  // Never expected; but should jieba ever join the separator to a word, the batch is cut text by text.
  if (out.length !== texts.length) return texts.map((parts) => searchWords(...parts));
  return out;
}

/** The words a query must all match. */
export function queryWords(query: string): string[] {
  return normalize(segmenter().cut(query.normalize('NFKC'), true));
}
