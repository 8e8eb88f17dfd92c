/**
 * LIKE patterns, the same for every domain: text matched as written (its `\`, `%` and `_`
 * escaped), and a division code with everything under it (a viewer's scope, a district).
 */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The codes inside a scope: the scope's own code and every code that begins with it. */
export const withinScope = (scopeCode: string): string => `${escapeLike(scopeCode)}%`;
