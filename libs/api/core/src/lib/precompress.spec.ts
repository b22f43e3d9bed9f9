import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { precompress } from './http';

/**
 * The server serves the built console while `precompress` writes the `.br`/`.gz` copies, and a second instance may be
 * compressing the same directory: a copy that exists must be whole (stop 25: an empty or cut copy was served with 200).
 */
describe('precompress', () => {
  it('a copy that exists is whole, even while two instances compress the same directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'precompress-'));
    try {
      const bodies = new Map<string, string>();
      for (let i = 0; i < 30; i++) {
        const body = JSON.stringify(Array.from({ length: 200 + i * 7 }, (_, k) => ({ k, name: `县${i}-${k}`, v: (k * 7919) % 1000 })));
        writeFileSync(join(dir, `f${i}.json`), body);
        bodies.set(`f${i}.json`, body);
      }
      let reading = true;
      const problems: string[] = [];
      let seen = 0;
      // A reader as the static server would be: every copy it finds must decompress to its file.
      const reader = (async () => {
        while (reading) {
          for (const [name, body] of bodies) {
            for (const [ext, open] of [['.br', brotliDecompressSync], ['.gz', gunzipSync]] as const) {
              const path = join(dir, name + ext);
              if (!existsSync(path)) continue;
              seen++;
              try {
                if (open(readFileSync(path)).toString('utf8') !== body) problems.push(`${name}${ext}: another body`);
              } catch (e) {
                problems.push(`${name}${ext}: ${(e as Error).message}`);
              }
            }
          }
          await new Promise((r) => setImmediate(r));
        }
      })();
      const [a, b] = await Promise.all([precompress(dir), precompress(dir)]);
      reading = false;
      await reader;
      expect(problems).toEqual([]);
      expect(seen).toBeGreaterThan(0);
      expect(a + b).toBeGreaterThanOrEqual(30);
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      for (const [name, body] of bodies) expect(brotliDecompressSync(readFileSync(join(dir, `${name}.br`))).toString('utf8')).toBe(body);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000); // brotli at quality 11: a couple of seconds alone, several times that beside the other unit suites
});
