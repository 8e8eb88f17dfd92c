import { Type, type Static } from '@sinclair/typebox';

/** The phases of a start, in order; `ready` and `failed` end it. */
export const startupPhases = ['database', 'divisions', 'appeals', 'indexes', 'programs', 'logins', 'ready', 'failed'] as const;
export type StartupPhase = (typeof startupPhases)[number];

export const StartupStatusSchema = Type.Object({
  phase: Type.Union(startupPhases.map((p) => Type.Literal(p))),
  /** What the phase is, Chinese then English. */
  label: Type.Object({ zh: Type.String(), en: Type.String() }),
  /** Work done and to do in this phase (appeals: rows), when it is counted. */
  done: Type.Union([Type.Integer(), Type.Null()]),
  total: Type.Union([Type.Integer(), Type.Null()]),
  /** The whole first start, 0–1. */
  progress: Type.Number({ minimum: 0, maximum: 1 }),
  /** Seconds until the demo is ready at the pace so far; null before that can be told, and once ready. */
  secondsLeft: Type.Union([Type.Integer(), Type.Null()]),
  /** Seconds since the start began. */
  elapsed: Type.Integer(),
  /** Whether this start builds the demo (its logins exist only when it is ready). */
  demo: Type.Boolean(),
  /** Why it failed, when it did. */
  failure: Type.Union([Type.String(), Type.Null()]),
});
export type StartupStatusView = Static<typeof StartupStatusSchema>;
