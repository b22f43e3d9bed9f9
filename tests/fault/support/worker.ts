import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, createWriteStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { faultEnv } from './env';
import { waitFor } from './cluster';

const MAIN = join(__dirname, '../../../dist/apps/worker/main.js');

/** The real worker (the built bundle, as deployed), as a child process the test may SIGKILL. */
export class WorkerProcess {
  private child?: ChildProcess;
  private out = '';
  constructor(private readonly env: Record<string, string> = {}) {}

  async start(): Promise<void> {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build the worker first (npx nx run worker:build), as tools/dev/test.mjs fault does`);
    this.out = '';
    const log = createWriteStream(join(faultEnv.dir, 'worker.log'), { flags: 'a' });
    const child = spawn(process.execPath, [MAIN], { env: { ...process.env, LOG_LEVEL: 'info', ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    appendFileSync(join(faultEnv.dir, 'workers.pid'), `${child.pid}\n`);
    for (const s of [child.stdout, child.stderr]) s?.on('data', (b: Buffer) => { this.out += b.toString(); log.write(b); });
    await waitFor('the worker to start', async () => {
      if (child.exitCode !== null) throw new Error(`worker exited ${child.exitCode}: ${this.out.slice(-2000)}`);
      return this.out.includes('Linggong worker started');
    }, 60);
  }

  get output(): string {
    return this.out;
  }

  /** SIGKILL: no shutdown hook runs, active jobs keep their Redis locks until these expire. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode) return;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill(signal);
    await gone;
    this.child = undefined;
  }
}
