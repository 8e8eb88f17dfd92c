/**
 * What a batch answers for one of its items: its value, its error, or (`later`) the work the item
 * goes on with outside the lane, such as a write taken again alone that may wait for a lock: the
 * lane and the batch's other items do not wait for it.
 */
export type Outcome<O> = { value: O } | { error: unknown } | { later: Promise<O> };

/**
 * Group commit: items that arrive while `lanes` runs are already going wait, and go together as
 * one run (of at most `most`) when a lane frees. Under light load nothing waits and every item
 * runs alone; under heavy load each run carries many items, so the cost a run has whatever its
 * size (a statement's round trip and commit, a rollup row moved once instead of once per item) is
 * shared. `run` answers one outcome per item, in the items' order.
 */
export class Batcher<I, O> {
  readonly #waiting: Array<{ item: I; settle: (outcome: Outcome<O>) => void }> = [];
  #running = 0;

  constructor(
    private readonly run: (items: I[]) => Promise<Array<Outcome<O>>>,
    private readonly lanes: number,
    private readonly most: number,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.#waiting.push({
        item,
        settle: (outcome) => {
          if ('value' in outcome) resolve(outcome.value);
          else if ('later' in outcome) outcome.later.then(resolve, reject);
          else reject(outcome.error);
        },
      });
      this.#next();
    });
  }

  #next(): void {
    while (this.#running < this.lanes && this.#waiting.length > 0) {
      const batch = this.#waiting.splice(0, this.most);
      this.#running++;
      this.run(batch.map((w) => w.item))
        .then(
          (outcomes) => {
            for (const [i, w] of batch.entries()) w.settle(outcomes[i] ?? { error: new Error('the batch gave no answer for this item') });
          },
          (error: unknown) => {
            for (const w of batch) w.settle({ error });
          },
        )
        .finally(() => {
          this.#running--;
          this.#next();
        });
    }
  }
}
