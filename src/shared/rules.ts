import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { invalid } from '../errors.ts';

/**
 * A parser for stored rules (a domain's configuration, saved as JSON): the value as its schema's
 * type, or `invalid` naming each field at fault by its path (`thresholds.resolution`, or `config`
 * for the whole), under the message given in Chinese and English.
 */
export function rulesParser<T extends TSchema>(schema: T, zh: string, en: string): (value: unknown) => Static<T> {
  const check = TypeCompiler.Compile(schema);
  return (value) => {
    if (!check.Check(value)) {
      const errors = [...check.Errors(value)].map((e) => ({
        field: e.path.replace(/^\//, '').replace(/\//g, '.') || 'config',
        message: e.message,
      }));
      throw invalid(zh, en, errors);
    }
    return value;
  };
}
