import type { PublicModelTitle } from './model-markets';
import { z } from 'zod';
import { line, multiline, nameText } from './text';
import { listQuerySchema } from './schemas';

/**
 * The market directory (名录, R-E1, R-E2; 000 九, 003 (十)): per market the fields the ministry asks for,
 * frozen quarterly into a version that the county confirms, the city compiles and the province publishes.
 * Rules and shapes shared by the API and the console; glossary: directory, directory version, listing,
 * gathering point.
 */

/** Where a listing comes from: a market run in Linggong, or a gathering point the county listed (R-A2). */
export const LISTING_SOURCES = ['market', 'point'] as const;
export type ListingSource = (typeof LISTING_SOURCES)[number];
/** A listing's review state in its version: waiting for the county, confirmed, or sent back to the operator. */
export const LISTING_STATUSES = ['pending', 'confirmed', 'returned'] as const;
export type ListingStatus = (typeof LISTING_STATUSES)[number];
export const VERSION_STATUSES = ['open', 'published'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];
export const VERSION_TRIGGERS = ['quarter_end', 'on_demand'] as const;
/** A gathering point the county lists has no operator: spontaneous, or a commercial place not run in Linggong. */
export const POINT_NATURES = ['spontaneous', 'commercial'] as const;

/** How many occupations the directory names as "main recruited occupations" (主要招聘工种). */
export const MAIN_OCCUPATIONS = 3;

/** `2026Q3` for a day. */
export function quarterOf(day: string): string {
  const [y, m] = day.split('-').map(Number);
  return `${y}Q${Math.floor((m - 1) / 3) + 1}`;
}
export const QUARTER_RE = /^(\d{4})Q([1-4])$/;
/** The first and last day of a quarter (`2026Q3` → 2026-07-01 … 2026-09-30). */
export function quarterRange(q: string): { from: string; to: string } {
  const m = QUARTER_RE.exec(q);
  if (!m) throw new Error(`bad quarter ${q}`);
  const y = Number(m[1]);
  const first = (Number(m[2]) - 1) * 3 + 1;
  const last = new Date(Date.UTC(y, first + 2, 0)).getUTCDate();
  const mm = (n: number) => String(n).padStart(2, '0');
  return { from: `${y}-${mm(first)}-01`, to: `${y}-${mm(first + 2)}-${mm(last)}` };
}
/** The quarter before. */
export function previousQuarter(q: string): string {
  const m = QUARTER_RE.exec(q);
  if (!m) throw new Error(`bad quarter ${q}`);
  const n = Number(m[2]);
  return n === 1 ? `${Number(m[1]) - 1}Q4` : `${m[1]}Q${n - 1}`;
}
/** The last complete quarter before a day (the quarter-end job freezes it the morning after it ends). */
export const lastCompleteQuarter = (day: string) => previousQuarter(quarterOf(day));

/**
 * The computed fields (R-E1) from a market's figures for the version's quarter, rolled up from the sealed
 * work log: job-seeker scale = distinct workers who checked in; daily average successful hires = hires
 * started ÷ open days (days with a check-in; the `daily_avg_hires` KPI); main recruited occupations = the
 * occupations with the most hires started (ties by code point order of the name), at most MAIN_OCCUPATIONS.
 */
export function directoryFigures(f: { seekers: number; hires: number; openDays: number; byOccupation: { occupation: string; hires: number }[] }) {
  const main = f.byOccupation.filter((o) => o.occupation && o.hires > 0)
    .sort((a, b) => b.hires - a.hires || (a.occupation < b.occupation ? -1 : a.occupation > b.occupation ? 1 : 0)).slice(0, MAIN_OCCUPATIONS).map((o) => o.occupation);
  return { seekerScale: f.seekers, dailyHires: f.openDays > 0 ? Math.round((f.hires / f.openDays) * 100) / 100 : 0, mainOccupations: main };
}

export interface DirectoryContact { name?: string; phone?: string; title?: string }

/** One row of the directory in a version (the 38号 fields, in their order, plus where it is). */
export interface ListingView {
  id: string; versionId: string; source: ListingSource; sourceId: string; operatorId: string | null;
  regionCode: string; regionName: string | null; cityCode: string; cityName: string | null;
  name: string; nature: 'public' | 'commercial' | 'spontaneous'; address: string | null; openingHours: string | null;
  occupations: string[]; contacts: DirectoryContact[]; hotline: string | null;
  seekerScale: number | null; mainOccupations: string[]; dailyHires: number | null;
  /** `work_log`: computed from the rolled-up work log of the quarter; `estimate`: the county's estimate for a gathering point. */
  figuresBasis: 'work_log' | 'estimate'; hires: number | null; openDays: number | null;
  longitude: number | null; latitude: number | null;
  status: ListingStatus; returnReason: string | null; returnedAt: string | null; confirmedAt: string | null; resubmittedAt: string | null;
}
export interface VersionView {
  id: string; provinceCode: string; quarter: string; seq: number; trigger: (typeof VERSION_TRIGGERS)[number];
  figuresFrom: string; figuresTo: string; status: VersionStatus; frozenAt: string; publishedAt: string | null;
  listings: number; confirmed: number; returned: number; pending: number;
  cities: { cityCode: string; cityName: string | null; listings: number; confirmed: number; compiledAt: string | null }[];
}
export interface PointView {
  id: string; regionCode: string; regionName: string | null; name: string; nature: (typeof POINT_NATURES)[number];
  address: string; openingHours: string | null; occupations: string[]; contacts: DirectoryContact[]; hotline: string | null;
  seekerScale: number | null; dailyHires: number | null; mainOccupations: string[]; longitude: number | null; latitude: number | null;
  note: string; createdAt: string; updatedAt: string;
}
export interface DiffChange { field: string; before: unknown; after: unknown }
export interface VersionDiff {
  from: { id: string; quarter: string; seq: number }; to: { id: string; quarter: string; seq: number };
  added: ListingView[]; removed: ListingView[]; changed: { key: string; name: string; regionCode: string; changes: DiffChange[] }[];
}

/** The fields compared between two versions (the 38号 fields and the place on the map). */
export const DIFF_FIELDS = [
  'name', 'nature', 'address', 'openingHours', 'occupations', 'contacts', 'hotline', 'seekerScale', 'mainOccupations', 'dailyHires', 'regionCode',
] as const satisfies readonly (keyof ListingView)[];

/** The difference between two versions' listings, matched by source and id (pure; unit-tested). */
export function diffListings(before: ListingView[], after: ListingView[]): Pick<VersionDiff, 'added' | 'removed' | 'changed'> {
  const key = (l: ListingView) => `${l.source}:${l.sourceId}`;
  const old = new Map(before.map((l) => [key(l), l]));
  const now = new Map(after.map((l) => [key(l), l]));
  const changed: VersionDiff['changed'] = [];
  for (const [k, a] of now) {
    const b = old.get(k);
    if (!b) continue;
    const changes = DIFF_FIELDS.filter((f) => JSON.stringify(b[f]) !== JSON.stringify(a[f])).map((f) => ({ field: f, before: b[f], after: a[f] }));
    if (changes.length) changed.push({ key: k, name: a.name, regionCode: a.regionCode, changes });
  }
  const order = (xs: ListingView[]) => xs.sort((x, y) => x.regionCode.localeCompare(y.regionCode) || x.name.localeCompare(y.name, 'zh-CN'));
  return {
    added: order([...now].filter(([k]) => !old.has(k)).map(([, l]) => l)),
    removed: order([...old].filter(([k]) => !now.has(k)).map(([, l]) => l)),
    changed: changed.sort((x, y) => x.regionCode.localeCompare(y.regionCode) || x.name.localeCompare(y.name, 'zh-CN')),
  };
}

/** The ministry's yearly report (000 九): the 38号 fields in their order, with the zh column headings. */
export const MINISTRY_COLUMNS: { key: string; zh: string }[] = [
  { key: 'name', zh: '零工市场名称' },
  { key: 'nature', zh: '运营性质' },
  { key: 'address', zh: '详细地址' },
  { key: 'openingHours', zh: '运行时间' },
  { key: 'occupations', zh: '职业（工种、岗位）' },
  { key: 'contacts', zh: '联系方式' },
  { key: 'seekerScale', zh: '求职人员规模（人）' },
  { key: 'mainOccupations', zh: '主要招聘工种' },
  { key: 'dailyHires', zh: '日均招聘成功人数' },
];
export const NATURE_ZH: Record<ListingView['nature'], string> = { public: '公共', commercial: '经营性', spontaneous: '自发形成' };
/** One listing as the ministry's row (strings and numbers, in MINISTRY_COLUMNS order). */
export function ministryRow(l: ListingView): (string | number)[] {
  const contacts = [...l.contacts.map((c) => [c.name, c.phone].filter(Boolean).join(' ')), l.hotline ? `热线 ${l.hotline}` : ''].filter(Boolean).join('；');
  return [l.name, NATURE_ZH[l.nature], l.address ?? '', l.openingHours ?? '', l.occupations.join('、'), contacts,
    l.seekerScale ?? '', l.mainOccupations.join('、'), l.dailyHires ?? ''];
}

// ---------------------------------------------------------------- input

const contact = z.strictObject({ name: nameText(1, 30), phone: z.string().regex(/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/), title: nameText(1, 30).optional() });
/** A gathering point the county lists (R-A2): no operator, figures estimated by the county. */
export const directoryPointSchema = z.strictObject({
  regionCode: z.string().regex(/^\d{6}$/, { error: 'region_must_be_county' }),
  // "无正规名称的可以约定俗成或所在地址名称代称" (000 九): no naming rule, only a readable name.
  name: nameText(2, 60),
  nature: z.enum(POINT_NATURES),
  address: line(4, 200),
  longitude: z.number().min(73).max(136).optional(),
  latitude: z.number().min(3).max(54).optional(),
  openingHours: line(1, 100).optional(),
  occupations: z.array(line(1, 30)).max(60).default([]),
  contacts: z.array(contact).max(10).default([]),
  hotline: z.string().regex(/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|12333|12345)$/).optional(),
  seekerScale: z.number().int().min(0).max(100000).optional(),
  dailyHires: z.number().min(0).max(10000).optional(),
  mainOccupations: z.array(line(1, 30)).max(MAIN_OCCUPATIONS).default([]),
  note: multiline(0, 500).default(''),
});
export type DirectoryPointInput = z.infer<typeof directoryPointSchema>;
export const directoryPointUpdateSchema = directoryPointSchema.omit({ regionCode: true }).partial();
export const directoryFreezeSchema = z.strictObject({
  // Figures of this quarter (default: the current one, to date); a quarter that has not begun is refused.
  quarter: z.string().regex(QUARTER_RE, { error: 'directory_quarter' }).optional(),
});
export const directoryReturnSchema = z.strictObject({ reason: multiline(4, 500) });
export const directoryVersionQuerySchema = listQuerySchema.extend({ status: z.enum(VERSION_STATUSES).optional() });
export const directoryListingQuerySchema = listQuerySchema.extend({
  status: z.enum(LISTING_STATUSES).optional(),
  regionCode: z.string().regex(/^\d{2}(\d{2}(\d{2})?)?$/).optional(),
});
export const directoryDiffQuerySchema = z.object({ from: z.string().regex(/^[0-9a-f-]{36}$/i, { error: 'bad_request' }) });
export const directoryPointQuerySchema = listQuerySchema.extend({ regionCode: z.string().regex(/^\d{2}(\d{2}(\d{2})?)?$/).optional() });
/** The public directory's search: a region (province, city or county) and words matched against occupations, name and address. */
export const publicDirectoryQuerySchema = z.object({
  region: z.string().regex(/^\d{2}(\d{2}(\d{2})?)?$/, { error: 'directory_region' }).optional(),
  q: line(0, 40).optional(),
});

// ---------------------------------------------------------------- public

/** A published listing as the public sees it: no operator id, the hotline and hours first. */
export interface PublicListing {
  id: string; source: ListingSource; marketId: string | null; name: string; nature: ListingView['nature'];
  provinceCode: string; cityCode: string; cityName: string | null; regionCode: string; regionName: string | null;
  address: string | null; openingHours: string | null; hotline: string | null; contacts: DirectoryContact[]; occupations: string[];
  seekerScale: number | null; mainOccupations: string[]; dailyHires: number | null; longitude: number | null; latitude: number | null;
  /** Model market titles (issue 15 §5): under 公示 or designated, province and city level. */
  modelTitles: PublicModelTitle[];
}
export interface PublicDirectory {
  /** The latest published version of each province shown. */
  versions: { provinceCode: string; quarter: string; seq: number; publishedAt: string; figuresFrom: string; figuresTo: string }[];
  regions: { code: string; name: string | null; parent: string | null; listings: number }[];
  listings: PublicListing[];
}
/** 零工岗位信息统计目录: open posts (and places) by occupation across the published markets. */
export interface JobCatalogue {
  region: string; asOf: string;
  occupations: { occupation: string; posts: number; openings: number; markets: number }[];
}
