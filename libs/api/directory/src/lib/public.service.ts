import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SYSTEM_ACTOR, type JobCatalogue, type PublicDirectory, type PublicListing, type PublicModelMarkets } from '@linggong/domain';
import { TenantDb, notFound, queryRow, queryRows } from '@linggong/api-core';
import { PostsService } from '@linggong/api-jobs';
import { shanghaiDay } from '@linggong/ledger-chain';
import { ModelTitlesService } from '@linggong/api-assessment';
import { DirectoryService } from './directory.service';
import { publicListing, type ListingRow, type VersionRow } from './rows';

/** The latest published version of each province (the public directory shows only published data). */
const LATEST = `SELECT DISTINCT ON (province_code) * FROM directory_versions WHERE status = 'published' ORDER BY province_code, seq DESC`;

/**
 * The public directory (issue 14 §2; R-E1, R-E2): no sign-in. Reads run in a transaction with no scope at all and
 * reach listings only through the definer functions `public_directory_listings()` (the latest published version of
 * each province) and `public_directory_listing(id)` (a listing of any published version);
 * the job statistics catalogue counts open posts through jobs' exported service, as the platform, for the
 * published markets only (counts, no post, employer or person).
 */
@Injectable()
export class DirectoryPublicService {
  constructor(private readonly db: TenantDb, private readonly dir: DirectoryService, private readonly posts: PostsService, private readonly titles: ModelTitlesService) {}

  directory(q: { region?: string; q?: string }): Promise<PublicDirectory> {
    return this.unscoped(async (em) => {
      const versions = await queryRows<VersionRow>(em, LATEST);
      const rows = await queryRows<ListingRow & { province_code: string }>(em,
        `SELECT l.*, left(l.region_code, 2) AS province_code FROM public_directory_listings() l ORDER BY l.region_code, l.name`);
      const names = await this.dir.names(em, rows.map((r) => r.region_code));
      // Model market titles (issue 15 §5): a market under 公示 and a designated model market say so.
      const titles = await this.titles.publicTitles(em, rows.filter((r) => r.source === 'market').map((r) => r.source_id));
      const all = rows.map((r) => publicListing(r, r.province_code, names, titles));
      // The region tree: every province, city and county with published listings, and how many.
      const count = new Map<string, number>();
      for (const l of all) for (const c of [l.provinceCode, l.cityCode, l.regionCode]) count.set(c, (count.get(c) ?? 0) + 1);
      const regions = [...count].sort(([a], [b]) => a.localeCompare(b)).map(([code, n]) => ({ code, name: names.get(code) ?? null, parent: code.length > 2 ? code.slice(0, code.length - 2) : null, listings: n }));
      const words = (q.q ?? '').split(/\s+/).filter(Boolean);
      const listings = all.filter((l) => (!q.region || l.regionCode.startsWith(q.region)) && words.every((w) => matches(l, w)));
      return {
        versions: versions.map((v) => ({ provinceCode: v.province_code, quarter: v.quarter, seq: v.seq, publishedAt: (v.published_at as Date).toISOString(), figuresFrom: v.figures_from, figuresTo: v.figures_to })),
        regions, listings,
      };
    });
  }

  listing(id: string): Promise<PublicListing & { quarter: string; publishedAt: string }> {
    return this.unscoped(async (em) => {
      const r = await queryRow<ListingRow & { quarter: string; published_at: Date; province_code: string }>(em,
        `SELECT l.*, v.quarter, v.published_at, v.province_code FROM public_directory_listing($1) l JOIN directory_versions v ON v.id = l.version_id`, [id]);
      if (!r) throw notFound();
      const titles = r.source === 'market' ? await this.titles.publicTitles(em, [r.source_id]) : new Map();
      return { ...publicListing(r, r.province_code, await this.dir.names(em, [r.region_code]), titles), quarter: r.quarter, publishedAt: r.published_at.toISOString() };
    });
  }

  /** 零工岗位信息统计目录 (000 二): open posts and places by occupation across the published markets of a region. */
  async catalogue(region?: string): Promise<JobCatalogue> {
    const ids = await this.unscoped(async (em) => (await queryRows<{ source_id: string }>(em,
      `SELECT l.source_id FROM public_directory_listings() l WHERE l.source = 'market' AND l.region_code LIKE $1`,
      [`${region ?? ''}%`])).map((r) => r.source_id));
    const counts = await this.db.run(SYSTEM_ACTOR, (em) => this.posts.openByOccupation(em, ids));
    const by = new Map<string, { posts: number; openings: number; markets: Set<string> }>();
    for (const c of counts) {
      const o = by.get(c.occupation) ?? { posts: 0, openings: 0, markets: new Set<string>() };
      o.posts += c.posts;
      o.openings += c.openings;
      o.markets.add(c.marketId);
      by.set(c.occupation, o);
    }
    return {
      region: region ?? '', asOf: shanghaiDay(new Date()),
      occupations: [...by].map(([occupation, o]) => ({ occupation, posts: o.posts, openings: o.openings, markets: o.markets.size }))
        .sort((a, b) => b.openings - a.openings || a.occupation.localeCompare(b.occupation, 'zh-CN')),
    };
  }

  /** 示范零工市场 (issue 15 §5): the markets under 公示 and the designated model markets, province and city level. */
  modelMarkets(): Promise<PublicModelMarkets> {
    return this.unscoped(async (em) => {
      const titles = [...(await this.titles.publicTitles(em)).values()].flat();
      const names = await this.dir.names(em, [...new Set(titles.flatMap((t) => [t.marketRegion, t.regionCode]))]);
      return { titles: titles.map((t) => ({ ...t, marketRegionName: names.get(t.marketRegion) ?? null, grantRegionName: names.get(t.regionCode) ?? null })) };
    });
  }

  /** A read with no RLS scope: only what is published is visible. */
  private unscoped<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.db.dataSource.transaction(fn);
  }
}

function matches(l: PublicListing, w: string): boolean {
  return [l.name, l.address ?? '', l.regionName ?? '', l.cityName ?? '', ...l.occupations, ...l.mainOccupations].some((s) => s.includes(w));
}
