import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { PID_FILE } from './env';

export default async function teardown(): Promise<void> {
  if (!existsSync(PID_FILE)) return;
  try {
    process.kill(Number(readFileSync(PID_FILE, 'utf8')), 'SIGTERM');
  } catch {
    // already gone
  }
  unlinkSync(PID_FILE);
}
