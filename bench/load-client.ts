/**
 * The load generator of bench/intake.ts, in a process of its own so that it does not share the
 * measured server's event loop. It reads one JSON document (a LoadPlan) on standard input and prints one JSON line
 * (a LoadResult). Each request's body is chosen as it is sent:
 *   - `create`: a new appeal in a community drawn from `communities` (the hot cell: one community);
 *   - `events`: the next lifecycle step of the `appeals` given, request r taking appeal r mod n to
 *     its step ⌊r / n⌋ (dispatch, respond, handle, callback, close), so no two requests in flight
 *     race for one appeal;
 *   - `baseline`: the bare server's one-INSERT POST.
 */
import autocannon from 'autocannon';

export interface LoadPlan {
  url: string;
  kind: 'create' | 'events' | 'baseline';
  connections: number;
  seconds: number;
  token?: string;
  communities?: string[];
  appeals?: number[];
}

export interface LoadResult {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

const steps = [
  { type: 'dispatch', unit: { name: '街道办事处', type: 'street_office' } },
  { type: 'respond' },
  { type: 'handle', result: '已办理' },
  { type: 'callback', contacted: true, solved: true, satisfaction: 'satisfied' },
  { type: 'close' },
];

/** The request generator of a plan: each call gives the next request's path and body. */
function requestsOf(plan: LoadPlan): () => { path: string; body: string } {
  let sent = 0;
  const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)]!;
  switch (plan.kind) {
    case 'baseline':
      return () => ({
        path: '/appeals',
        body: JSON.stringify({ ticketNo: `BASE-${process.pid}-${sent++}`, description: '小区停车难', communityCode: '110106008028' }),
      });
    case 'create':
      return () => ({
        path: '/api/v1/appeals',
        body: JSON.stringify({
          channel: 'phone',
          kind: 'complaint',
          categoryCode: pick(['parking.shortage', 'heating', 'noise', 'water', 'property.service']),
          description: '小区停车难，晚上回来没有车位',
          communityCode: pick(plan.communities!),
        }),
      });
    case 'events': {
      const appeals = plan.appeals!;
      return () => {
        const r = sent++;
        // Past the last step the appeals are closed: a further step is refused (409) and counted as non-2xx.
        const step = Math.min(Math.floor(r / appeals.length), steps.length - 1);
        return {
          path: `/api/v1/appeals/${appeals[r % appeals.length]!}/events`,
          body: JSON.stringify({ ...steps[step], expectedVersion: step + 1 }),
        };
      };
    }
  }
}

async function run(plan: LoadPlan): Promise<LoadResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (plan.token) headers.authorization = `Bearer ${plan.token}`;
  const next = requestsOf(plan);
  const result = await autocannon({
    url: plan.url,
    connections: plan.connections,
    duration: plan.seconds,
    method: 'POST',
    headers,
    requests: [{ setupRequest: (request) => ({ ...request, ...next() }) }],
  });
  return {
    requests: result.requests.total,
    perSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

// The plan comes on standard input: the appeals of a 50-connection run are too long for an argument.
let input = '';
for await (const chunk of process.stdin) input += chunk;
const plan = JSON.parse(input) as LoadPlan;
process.stdout.write(`${JSON.stringify(await run(plan))}\n`);
