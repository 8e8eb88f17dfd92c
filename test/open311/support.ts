import fs from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { expect } from 'vitest';

/**
 * The published GeoReport v2 schemas (../shared/open311/georeport-v2), every one registered
 * under its file name so that their relative $refs (requests.json → request.json) resolve, and
 * the XML reader the tests check the other format with.
 */
const schemaDir = path.resolve(import.meta.dirname, '../../../shared/open311/georeport-v2');

// ajv-formats is CommonJS with its function as the default export.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

function loadAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  // swagger.json names Open311's identifiers format "uid": any string.
  ajv.addFormat('uid', true);
  for (const file of fs
    .readdirSync(schemaDir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    ajv.addSchema(JSON.parse(fs.readFileSync(path.join(schemaDir, file), 'utf8')) as object, file);
  }
  return ajv;
}

const ajv = loadAjv();
export const publishedSchemas = fs
  .readdirSync(schemaDir)
  .filter((f) => f.endsWith('.json'))
  .sort();

const validators = new Map<string, ValidateFunction>();

/** Fails with ajv's own words when `body` does not match the published schema `ref`. */
export function expectValid(ref: string, body: unknown): void {
  let validate = validators.get(ref);
  if (!validate) {
    validate = ajv.getSchema(ref);
    if (!validate) throw new Error(`no published schema ${ref}`);
    validators.set(ref, validate);
  }
  const ok = validate(body);
  expect(ok, `${ref}: ${ajv.errorsText(validate.errors)}`).toBe(true);
}

/** Elements that are lists in GeoReport v2 documents: always arrays, even of one. */
const listElements = new Set(['request', 'service', 'attribute', 'value', 'endpoint', 'format', 'error', 'request_update']);
const parser = new XMLParser({
  ignoreDeclaration: true,
  parseTagValue: false,
  trimValues: false,
  isArray: (name) => listElements.has(name),
});

export function parseXml(body: string): Record<string, unknown> {
  expect(XMLValidator.validate(body)).toBe(true);
  expect(body.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
  return parser.parse(body) as Record<string, unknown>;
}

/** What a JSON value reads as in XML: text, with null an empty element. */
export function asXml(value: unknown): unknown {
  if (value === null) return '';
  if (Array.isArray(value)) return value.map(asXml);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, asXml(v)]));
  return String(value);
}

/** A W3C datetime with Beijing's offset, to the second: what every Open311 time here looks like. */
export const W3C = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;
