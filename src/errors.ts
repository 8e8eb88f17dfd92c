/**
 * Errors the services raise on purpose. Each carries a Chinese message first and an English one
 * second; the HTTP layer turns them into RFC 9457 problem+json, the CLI prints them.
 */
export type ErrorKind = 'invalid' | 'not_found' | 'conflict' | 'forbidden' | 'unauthenticated';

export interface FieldError {
  /** The field (HTTP), or `row N, column X` (files) the reason is about. */
  field: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly zh: string,
    readonly en: string,
    readonly errors: FieldError[] = [],
  ) {
    super(`${zh} / ${en}`);
    this.name = 'AppError';
  }
}

export const notFound = (zh: string, en: string) => new AppError('not_found', zh, en);
export const invalid = (zh: string, en: string, errors: FieldError[] = []) => new AppError('invalid', zh, en, errors);
export const conflict = (zh: string, en: string) => new AppError('conflict', zh, en);
