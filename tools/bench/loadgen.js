/**
 * The load generator, in its own process so it does not share the server's event loop. Node's
 * built-in http with a keep-alive agent: `connections` workers, each sending its next request as
 * soon as the previous answer arrives (closed loop), for `warmupMs` unmeasured then `durationMs`.
 * Receives the job by IPC, answers with the raw latencies.
 */
const http = require('node:http');

function run({ url, headers, connections, warmupMs, durationMs, titlePrefix }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL(url);
  const latencies = [];
  const statuses = {};
  let errors = 0;
  let n = 0;
  const t0 = Date.now();
  const measureFrom = t0 + warmupMs;
  const end = measureFrom + durationMs;

  const once = () => new Promise((resolve) => {
    const body = JSON.stringify({
      kind: 'manual_note', occurredAt: new Date().toISOString(),
      title: `${titlePrefix} ${++n}`, note: '基准测试：手工工作日志条目（巡查记录）',
    });
    const started = process.hrtime.bigint();
    const req = http.request({
      agent, method: 'POST', hostname: target.hostname, port: target.port, path: target.pathname,
      headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      res.resume();
      res.on('end', () => {
        const now = Date.now();
        if (now >= measureFrom && now <= end) {
          latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
          statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
        }
        resolve();
      });
    });
    req.on('error', () => {
      if (Date.now() >= measureFrom) errors++;
      resolve();
    });
    req.end(body);
  });

  const worker = async () => {
    while (Date.now() < end) await once();
  };
  return Promise.all(Array.from({ length: connections }, worker)).then(() => {
    agent.destroy();
    return { latencies, statuses, errors, measuredMs: durationMs };
  });
}

process.on('message', async (job) => {
  const result = await run(job);
  process.send(result, () => process.exit(0));
});
