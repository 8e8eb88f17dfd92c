import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import type { FieldError } from '../../errors.ts';

/**
 * Which passwords a person may choose. Length alone let `1234567890`, ten spaces and the login
 * itself through (issue 17). zxcvbn-ts, a maintained strength estimator, knows the common
 * passwords, keyboard walks, repeats, sequences and dates; it is told the login and the display
 * name, so that a password built on them scores low too. Score 3 of 4 is "safely unguessable".
 */
export const MIN_PASSWORD_LENGTH = 10;
export const MIN_PASSWORD_SCORE = 3;

const estimator = new ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs });

/** Why this password may not be used, or undefined when it may. */
export function passwordProblem(password: string, about: { login: string; displayName?: string | undefined }): FieldError | undefined {
  if (password.length < MIN_PASSWORD_LENGTH || password.trim().length === 0) {
    return { field: 'password', message: `至少 ${MIN_PASSWORD_LENGTH} 个字符 / at least ${MIN_PASSWORD_LENGTH} characters` };
  }
  const lower = password.toLowerCase();
  if (lower.includes(about.login.toLowerCase())) {
    return { field: 'password', message: '不能包含登录名 / must not contain the login name' };
  }
  const inputs = [about.login, ...(about.displayName ? [about.displayName] : []), 'mustanswer', 'bidati'];
  const { score } = estimator.check(password, inputs);
  if (score < MIN_PASSWORD_SCORE) {
    return {
      field: 'password',
      message:
        '太容易被猜到（常见密码、键盘顺序、重复或日期），请用更长的短语 / too easy to guess (a common password, a keyboard walk, repeats or a date); use a longer phrase',
    };
  }
  return undefined;
}
