import type { AppError, ErrorKind } from '../../errors.ts';

/**
 * The two formats of GeoReport v2: XML (required by the spec, its default) and JSON, chosen by
 * the resource's extension. Both are written from one tree, so a field cannot be in one and
 * missing from the other.
 */
export const formats = ['xml', 'json'] as const;
export type Format = (typeof formats)[number];

export const contentTypes: Record<Format, string> = {
  xml: 'text/xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** A leaf (null is an empty element in XML, null in JSON), an object, or a list of one element name. */
export type Tree = string | number | boolean | null | TreeObject | TreeList;
export interface TreeObject {
  readonly [field: string]: Tree;
}
/** In XML each item is an element named `item`; in JSON the list is an array. */
export interface TreeList {
  readonly list: true;
  readonly item: string;
  readonly items: readonly Tree[];
}

export const list = (item: string, items: readonly Tree[]): TreeList => ({ list: true, item, items });

function isList(tree: Tree): tree is TreeList {
  return typeof tree === 'object' && tree !== null && (tree as Partial<TreeList>).list === true;
}

// XML 1.0 has no place for most control characters, even escaped: they are dropped.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters XML 1.0 forbids.
const notXmlChar = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  return text.replace(notXmlChar, '').replace(/[&<>"']/g, (c) => escapes[c]!);
}

function element(name: string, tree: Tree): string {
  if (tree === null) return `<${name}></${name}>`;
  if (isList(tree)) return `<${name}>${tree.items.map((item) => element(tree.item, item)).join('')}</${name}>`;
  if (typeof tree === 'object') {
    return `<${name}>${Object.entries(tree)
      .map(([field, value]) => element(field, value))
      .join('')}</${name}>`;
  }
  return `<${name}>${escapeXml(String(tree))}</${name}>`;
}

function plain(tree: Tree): unknown {
  if (isList(tree)) return tree.items.map(plain);
  if (tree !== null && typeof tree === 'object') return Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, plain(v)]));
  return tree;
}

/** The answer body: `root` names the XML document element; JSON has no root. */
export function render(format: Format, root: string, tree: Tree): string {
  if (format === 'json') return JSON.stringify(plain(tree));
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element(root, tree)}\n`;
}

/** An error as the spec writes it, with the HTTP status it goes out with. */
export class Open311Error extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
  ) {
    super(description);
    this.name = 'Open311Error';
  }
}

const statusOf: Record<ErrorKind, number> = { invalid: 400, unauthenticated: 401, forbidden: 403, not_found: 404, conflict: 409 };

export function open311Error(status: number, zh: string, en: string): Open311Error {
  return new Open311Error(status, `${zh} / ${en}`);
}

/** The appeals' own refusals (a field, a scope, a step not allowed now) in the spec's form. */
export function fromAppError(error: AppError): Open311Error {
  const fields = error.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
  return new Open311Error(statusOf[error.kind], fields ? `${error.message} (${fields})` : error.message);
}

/** `<errors><error><code>…</code><description>…</description></error></errors>` or `[{"code","description"}]`. */
export function renderError(format: Format, errors: readonly Open311Error[]): string {
  return render(
    format,
    'errors',
    list(
      'error',
      errors.map((e) => ({ code: e.status, description: e.description })),
    ),
  );
}
