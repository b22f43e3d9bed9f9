import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BASE_URL, BROWSER_ENV, PID_FILE } from './env';

/** Reset the browser database with the built db CLI, then start the built API serving the console. */
export default async function setup(): Promise<void> {
  const root = join(__dirname, '../../..');
  for (const f of ['dist/apps/api/main.js', 'dist/tools/db/main.js', 'dist/apps/console/browser/index.html']) {
    if (!existsSync(join(root, f))) throw new Error(`${f} is missing: build first (npm test does)`);
  }
  const env = { ...process.env, ...BROWSER_ENV, CONSOLE_DIR: join(root, 'dist/apps/console/browser') };
  const reset = spawnSync('node', ['dist/tools/db/main.js', 'reset'], { cwd: root, env, stdio: 'pipe' });
  if (reset.status !== 0) throw new Error(`db reset failed: ${reset.stderr}`);
  // The slot's own Redis db (LINGGONG_TEST_SLOT), never another checkout's.
  spawnSync('redis-cli', ['-n', new URL(BROWSER_ENV['REDIS_URL']).pathname.slice(1), 'FLUSHDB']);
  const server = spawn('node', ['dist/apps/api/main.js'], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'], detached: true });
  writeFileSync(PID_FILE, String(server.pid));
  for (let i = 0; i < 60; i++) {
    try {
      if ((await fetch(`${BASE_URL}/api/ready`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the API did not become ready at ${BASE_URL}`);
}
