/**
 * A closed-loop load generator for requests that must not repeat (each check-in is a different
 * worker), in its own process so it does not share the server's event loop. undici's Pool with one
 * keep-alive connection per concurrent sender: `concurrency` senders, each sending its next request
 * (the next body from the list) as soon as the previous answer arrives, for `warmupMs` unmeasured
 * then `durationMs`. Receives the job by IPC, answers with the raw latencies and statuses.
 */
const { Pool } = require('undici');

async function run({ origin, path, headers, bodies, concurrency, warmupMs, durationMs, expect }) {
  const pool = new Pool(origin, { connections: concurrency, pipelining: 1 });
  const latencies = [];
  const statuses = {};
  let errors = 0;
  let unexpected = 0;
  let next = 0;
  const t0 = Date.now();
  const measureFrom = t0 + warmupMs;
  const end = measureFrom + durationMs;

  const sender = async () => {
    while (Date.now() < end && next < bodies.length) {
      const body = bodies[next++];
      const started = process.hrtime.bigint();
      try {
        const res = await pool.request({ path, method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
        const text = await res.body.text();
        const now = Date.now();
        if (now >= measureFrom && now <= end) {
          latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
          statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
          if (expect && res.statusCode < 300 && !text.includes(expect)) unexpected++;
        }
      } catch {
        if (Date.now() >= measureFrom) errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, sender));
  await pool.close();
  return { latencies, statuses, errors, unexpected, measuredMs: durationMs, sent: next, exhausted: next >= bodies.length && Date.now() < end };
}

process.on('message', async (job) => {
  const result = await run(job);
  process.send(result, () => process.exit(0));
});
