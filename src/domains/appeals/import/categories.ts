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
const SEPARATORS = /[/\\>＞|｜、,，;；-]+/;

export class CategoryResolver {
  private readonly codes: Set<string>;
  private readonly byName = new Map<string, string>();
  /** Longest names first, so 供暖不热 wins over 供暖 inside 小区供暖不热. */
  private readonly names: Array<[string, string]>;
  private readonly memo = new Map<string, CategoryResult>();

  constructor(categories: readonly CategoryName[], private readonly sourceWords: Readonly<Record<string, string>> = {}) {
    this.codes = new Set(categories.map((c) => c.code));
    for (const c of categories) this.byName.set(c.name_zh, c.code);
    this.names = categories.filter((c) => c.name_zh.length >= 2).map((c) => [c.name_zh, c.code] as [string, string]).sort((a, b) => b[0].length - a[0].length);
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
    const segments = text.split(SEPARATORS).map((s) => s.trim()).filter(Boolean).reverse();
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
