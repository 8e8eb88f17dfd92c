import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { publicRoute } from '../http/policy.ts';
import { startupPhases, StartupStatusSchema, type StartupPhase, type StartupStatusView } from './schemas.ts';

/**
 * Where a start is, kept in memory so that `GET /api/v1/status` answers without the database:
 * while a first start builds the demo, the database belongs to the demo's builder.
 */
const labels: Record<StartupPhase, { zh: string; en: string }> = {
  database: { zh: '建立数据库', en: 'creating the database' },
  divisions: { zh: '载入北京市行政区划', en: 'loading the divisions of Beijing' },
  appeals: { zh: '导入演示 12345 诉求', en: 'importing the demo’s 12345 appeals' },
  indexes: { zh: '建立索引与月度汇总', en: 'building the indexes and monthly rollups' },
  programs: { zh: '记录书记项目与攻坚项目', en: 'recording the programs and projects' },
  logins: { zh: '创建演示账号', en: 'creating the demo logins' },
  ready: { zh: '就绪', en: 'ready' },
  failed: { zh: '失败', en: 'failed' },
};

/**
 * How long each phase takes on an idle two-core machine at the default demo (1.8 %), in seconds,
 * as measured for issue 21: only the shares matter, since the estimate scales them by the pace
 * the machine actually shows. The appeals' phases grow with the demo's scale; the rest do not.
 */
const DEFAULT_SCALE = 0.018;
const expectedSeconds = (scale: number): Record<StartupPhase, number> => ({
  database: 2,
  divisions: 12,
  appeals: 85 * (scale / DEFAULT_SCALE),
  indexes: 36 * (scale / DEFAULT_SCALE),
  programs: 15,
  logins: 1,
  ready: 0,
  failed: 0,
});

/** The progress of a start, told by whoever does the work and read by the status route. */
export class StartupStatus {
  #phase: StartupPhase;
  #phaseStarted: number;
  #done: number | null = null;
  #total: number | null = null;
  #failure: string | null = null;
  readonly #started: number;
  readonly #expected: Record<StartupPhase, number>;

  constructor(
    readonly demo: boolean,
    scale = DEFAULT_SCALE,
    private readonly now: () => number = Date.now,
    phase: StartupPhase = 'database',
  ) {
    this.#started = now();
    this.#phaseStarted = this.#started;
    this.#phase = phase;
    this.#expected = expectedSeconds(scale);
  }

  /** A start that has nothing to build: ready from the outset. */
  static ready(): StartupStatus {
    return new StartupStatus(false, DEFAULT_SCALE, Date.now, 'ready');
  }

  get phase(): StartupPhase {
    return this.#phase;
  }

  enter(phase: StartupPhase): void {
    if (phase === this.#phase) return;
    this.#phase = phase;
    this.#phaseStarted = this.now();
    this.#done = null;
    this.#total = null;
  }

  /**
   * Work counted in the phase under way (divisions, appeals' rows). The appeals' last row landed
   * means the import is building its indexes and rollups: the next phase, which has no count.
   */
  advance(done: number, total: number): void {
    if (this.#phase === 'appeals' && done >= total) {
      this.enter('indexes');
      return;
    }
    if (this.#phase !== 'appeals' && this.#phase !== 'divisions') return;
    this.#done = done;
    this.#total = total;
  }

  fail(reason: string): void {
    this.enter('failed');
    this.#failure = reason;
  }

  /**
   * Seconds left: the phase under way at its own count's rate (appeals' rows), or else at its
   * expected length; the phases ahead at their expected lengths; all of them at the pace the
   * finished phases kept against theirs (a busy machine's pace is slower).
   */
  secondsLeft(): number {
    const order: StartupPhase[] = startupPhases.filter((p) => p !== 'ready' && p !== 'failed');
    const at = order.indexOf(this.#phase);
    if (at < 0) return 0;
    const sum = (phases: StartupPhase[]) => phases.reduce((n, p) => n + this.#expected[p], 0);
    const behind = sum(order.slice(0, at));
    const tookSoFar = (this.#phaseStarted - this.#started) / 1000;
    const pace = behind >= 5 ? Math.min(20, Math.max(0.3, tookSoFar / behind)) : 1;
    const inPhase = (this.now() - this.#phaseStarted) / 1000;
    const expected = this.#expected[this.#phase] * pace;
    const current =
      this.#done && this.#total
        ? (inPhase * (this.#total - this.#done)) / this.#done
        : // Past its expected length, a phase is taken to be nearly done rather than to end now.
          Math.max(expected - inPhase, 0.1 * expected);
    return current + sum(order.slice(at + 1)) * pace;
  }

  /** The share of the start behind us, 0–1, consistent with secondsLeft. */
  progress(): number {
    if (this.#phase === 'ready') return 1;
    const elapsed = (this.now() - this.#started) / 1000;
    const left = this.secondsLeft();
    return elapsed + left <= 0 ? 0 : Math.min(0.99, elapsed / (elapsed + left));
  }

  view(): StartupStatusView {
    const elapsed = (this.now() - this.#started) / 1000;
    const finished = this.#phase === 'ready' || this.#phase === 'failed';
    return {
      phase: this.#phase,
      label: labels[this.#phase],
      done: this.#done,
      total: this.#total,
      progress: Math.round(this.progress() * 1000) / 1000,
      // The first seconds (creating the database) tell nothing yet of the pace.
      secondsLeft: finished || elapsed < 3 ? null : Math.max(1, Math.round(this.secondsLeft())),
      elapsed: Math.round(elapsed),
      demo: this.demo,
      failure: this.#failure,
    };
  }
}

/**
 * `GET /status`: the start's progress, from memory. Public, like health: the login page shows it
 * before anyone can log in.
 */
export const statusRoutes: FastifyPluginAsyncTypebox<{ status: StartupStatus }> = async (app, { status }) => {
  app.get(
    '/status',
    {
      config: { policy: publicRoute },
      schema: {
        tags: ['system 系统'],
        summary:
          '启动进度：首次启动载入演示数据时的阶段、进度与预计剩余时间（不读数据库）/ Start-up progress: the phase, progress and time left while a first start loads the demo (reads no database)',
        response: { 200: StartupStatusSchema },
      },
    },
    async (_request, reply) => {
      // Polled every few seconds while loading: never from a cache.
      void reply.header('cache-control', 'no-store');
      return status.view();
    },
  );
};
