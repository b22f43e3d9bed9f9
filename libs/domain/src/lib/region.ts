import { REGION_LEVEL_LENGTH } from './roles';

export type RegionLevel = 'province' | 'city' | 'county';

/** GB/T 2260 short codes: 2 digits province, 4 city, 6 county. */
export function regionLevel(code: string): RegionLevel | undefined {
  if (!/^\d+$/.test(code)) return undefined;
  return (Object.keys(REGION_LEVEL_LENGTH) as RegionLevel[]).find((l) => REGION_LEVEL_LENGTH[l] === code.length);
}

export function regionWithin(code: string | null | undefined, prefix: string | undefined): boolean {
  if (prefix === undefined || code == null) return false;
  return code.startsWith(prefix);
}

export function regionAncestors(code: string): string[] {
  const out: string[] = [];
  for (const len of [2, 4, 6]) if (code.length >= len) out.push(code.slice(0, len));
  return out;
}
