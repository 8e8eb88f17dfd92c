import fs from 'node:fs';

/**
 * An export's category text → a code of the appeal_category tree. Exports write the hotline's own
 * classification, often as a path (城乡建设/物业管理/物业服务); the tree's Chinese names are
 * matched against its segments from the most specific, then inside the text. A source's mapping
 * may name codes for its own words. What still matches nothing lands as 'other' with a warning
 * in the report, so the office can extend the mapping: a category never stops an appeal
 * from counting.
 */
export interface CategoryName {
  code: string;
  name_zh: string;
}

export interface CategoryResult {
  code: string;
  /** False when the text matched nothing and the appeal fell back to 'other'. */
  recognized: boolean;
}

const FALLBACK = 'other';

/**
 * The everyday names people and hotline operators give categories (噪音 for 噪声, 违建, 暖气不热,
 * 没水了…), shipped for the default tree in category-synonyms.json: configuration, edited there;
 * words only one source uses go in that source's mapping instead. Keys starting with _ are notes.
 */
export function loadCategorySynonyms(file: URL | string = new URL('./category-synonyms.json', import.meta.url)): Record<string, string> {
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => !e[0].startsWith('_') && typeof e[1] === 'string'));
}

let shipped: Record<string, string> | undefined;
/** The shipped synonym list, read once per thread. */
export function defaultCategorySynonyms(): Record<string, string> {
  shipped ??= loadCategorySynonyms();
  return shipped;
}
const SEPARATORS = /[/\\>＞|｜、,，;；-]+/;

export class CategoryResolver {
  private readonly codes: Set<string>;
  private readonly byName = new Map<string, string>();
  /** Longest names first, so 供暖不热 wins over 供暖 inside 小区供暖不热. */
  private readonly names: Array<[string, string]>;
  private readonly memo = new Map<string, CategoryResult>();

  constructor(
    categories: readonly CategoryName[],
    private readonly sourceWords: Readonly<Record<string, string>> = {},
    synonyms: Readonly<Record<string, string>> = defaultCategorySynonyms(),
  ) {
    this.codes = new Set(categories.map((c) => c.code));
    // The tree's own names first: a synonym never hides a name of the tree.
    for (const [word, code] of Object.entries(synonyms)) if (this.codes.has(code)) this.byName.set(word, code);
    for (const c of categories) this.byName.set(c.name_zh, c.code);
    this.names = [...this.byName].filter(([name]) => name.length >= 2).sort((a, b) => b[0].length - a[0].length);
  }

  /** Whether a text names a category (by the source's words, a code, the tree's names or a synonym), without the fallback. */
  recognizes(text: string): boolean {
    return this.resolve(text).recognized;
  }

  resolve(text: string): CategoryResult {
    let result = this.memo.get(text);
    if (!result) {
      result = this.lookup(text);
      this.memo.set(text, result);
    }
    return result;
  }

  private lookup(text: string): CategoryResult {
    if (text === '') return { code: FALLBACK, recognized: false };
    const own = this.sourceWords[text];
    if (own && this.codes.has(own)) return { code: own, recognized: true };
    if (this.codes.has(text)) return { code: text, recognized: true };
    const segments = text
      .split(SEPARATORS)
      .map((s) => s.trim())
      .filter(Boolean)
      .reverse();
    for (const segment of segments) {
      const code = this.sourceWords[segment] ?? this.byName.get(segment);
      if (code && this.codes.has(code)) return { code, recognized: true };
    }
    for (const segment of segments) {
      const hit = this.names.find(([name]) => segment.includes(name));
      if (hit) return { code: hit[1], recognized: true };
    }
    return { code: FALLBACK, recognized: false };
  }
}
