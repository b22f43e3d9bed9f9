import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { stopBouncer, stopPostgres, stopRedis, type FaultEnv } from './cluster';

/** Stops what the setup started and removes its directory, whatever the tests did. */
export default async function globalTeardown(): Promise<void> {
  const file = join(tmpdir(), `linggong-fault-${process.env['LINGGONG_TEST_SLOT'] ?? 'ci'}.json`);
  if (!existsSync(file)) return;
  const env = JSON.parse(readFileSync(file, 'utf8')) as FaultEnv;
  // Workers the tests started write their pids here; a failed test may have left one running.
  const pids = join(env.dir, 'workers.pid');
  if (existsSync(pids)) {
    for (const pid of readFileSync(pids, 'utf8').split('\n').filter(Boolean)) {
      try { process.kill(Number(pid), 'SIGKILL'); } catch { /* gone */ }
    }
  }
  stopBouncer(env);
  stopPostgres(env, 'immediate');
  stopRedis(env);
  rmSync(env.dir, { recursive: true, force: true });
  rmSync(file, { force: true });
}
