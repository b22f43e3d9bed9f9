// `npm start`: install, make sure PostgreSQL and Redis run, migrate, seed the demo, build, and serve
// console + API at http://localhost:3000 (API under /api) with the worker beside it.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, build, ensureDependencies, ensurePdfFont, ensurePostgres, ensureRedis, log, run } from './prepare.mjs';

const PORT = process.env.PORT ?? '3000';
const DEMO_USERS = ['admin', 'province.auditor', 'city.analyst', 'county.reviewer', 'op1.admin', 'op1.manager', 'op1.desk',
  'op1.complaints', 'op2.admin', 'op2.desk', 'op3.admin'];

ensureDependencies();
await ensurePostgres();
await ensureRedis();
ensurePdfFont();
build();
run('node dist/tools/db/main.js setup');

const env = { ...process.env, PORT, CONSOLE_DIR: join(ROOT, 'dist/apps/console/browser') };
const children = [
  spawn('node', ['dist/apps/api/main.js'], { cwd: ROOT, env, stdio: 'inherit' }),
  spawn('node', ['dist/apps/worker/main.js'], { cwd: ROOT, env, stdio: 'inherit' }),
];
const stop = () => {
  for (const c of children) c.kill('SIGTERM');
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const c of children) c.on('exit', (code) => { log(`a process exited (${code}); stopping`); stop(); });

setTimeout(() => {
  log(`Linggong is running: http://localhost:${PORT}  (API http://localhost:${PORT}/api, docs /api/docs)`);
  log(`Demo sign-ins, password Linggong@2026: ${DEMO_USERS.join(', ')}`);
}, 3000);
