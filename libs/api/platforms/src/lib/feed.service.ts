import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { z } from 'zod';
import { ProblemException, TenantDb, isoOf } from '@linggong/api-core';
import { DirectoryPublicService } from '@linggong/api-directory';
import { ReportsService } from '@linggong/api-reports';
import type { FeedPost, feedChangesQuerySchema, feedDirectoryQuerySchema, feedPostsQuerySchema } from '@linggong/domain';

interface PostRow {
  post_id: string; market_id: string; market_name: string; region_code: string; employer_name: string; employer_verified: boolean; title: string;
  occupation: string; headcount: number; wage_fen: number; wage_unit: string; period: string; start_at: Date; expires_at: Date; place: string; status: string;
}

/** A position in the work log's post facts, opaque to the reader: base64url of `recorded_at|market|seq`. */
export function encodeCursor(at: Date | string, market: string, seq: number | string): string {
  return Buffer.from(`${new Date(at).toISOString()}|${market}|${seq}`).toString('base64url');
}
export function decodeCursor(c: string): { at: string; market: string; seq: number } {
  const [at, market, seq] = Buffer.from(c, 'base64url').toString('utf8').split('|');
  if (!at || Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/.test(market ?? '') || !/^\d+$/.test(seq ?? '')) {
    throw new ProblemException(400, 'validation_failed', [{ field: 'cursor', key: 'bad_request' }]);
  }
  return { at, market, seq: Number(seq) };
}

/** The strong ETag of an answer: SHA-256 of its JSON. */
export function etagOf(body: unknown): string {
  return `"${createHash('sha256').update(JSON.stringify(body)).digest('base64url')}"`;
}

/**
 * The province feed (issue 18 §4): published data only, no sign-in. Open posts as a snapshot with the position the
 * changes continue from, post changes since a cursor (from the work log's `post_published` / `post_closed` facts), the
 * published directory's listings, and the monthly releases — each answer with an ETag (the controller answers 304 to
 * a matching If-None-Match).
 */
@Injectable()
export class FeedService {
  constructor(private readonly db: TenantDb, private readonly directory: DirectoryPublicService, private readonly reports: ReportsService) {}

  openPosts(q: z.infer<typeof feedPostsQuerySchema>) {
    return this.db.dataSource.transaction(async (em) => {
      const rows = await em.query<(PostRow & { total: string })[]>('SELECT * FROM feed_open_posts($1, $2, $3)', [q.region, q.pageSize, (q.page - 1) * q.pageSize]);
      const [pos] = await em.query<{ recorded_at: Date; market_id: string; seq: string }[]>('SELECT * FROM feed_post_position($1)', [q.region]);
      let total = rows.length ? Number(rows[0].total) : 0;
      if (!rows.length && q.page > 1) total = Number((await em.query('SELECT count(*) AS n FROM feed_open_posts($1, 100000, 0)', [q.region]))[0].n);
      return { items: rows.map(post), total, page: q.page, pageSize: q.pageSize, changesCursor: pos ? encodeCursor(pos.recorded_at, pos.market_id, pos.seq) : null };
    });
  }

  changes(q: z.infer<typeof feedChangesQuerySchema>) {
    const after = q.cursor ? decodeCursor(q.cursor) : null;
    return this.db.dataSource.transaction(async (em) => {
      const rows = await em.query<(PostRow & { recorded_at: Date; seq: string; kind: string })[]>(
        'SELECT * FROM feed_post_changes($1, $2, $3, $4, $5)', [q.region, after?.at ?? null, after?.market ?? null, after?.seq ?? null, q.limit + 1]);
      const page = rows.slice(0, q.limit);
      const last = page[page.length - 1];
      return {
        items: page.map((r) => ({ change: r.kind === 'post_published' ? 'published' as const : 'closed' as const, at: isoOf(r.recorded_at), post: post(r) })),
        nextCursor: last ? encodeCursor(last.recorded_at, last.market_id, last.seq) : (q.cursor ?? null),
        hasMore: rows.length > q.limit,
      };
    });
  }

  async directoryListings(q: z.infer<typeof feedDirectoryQuerySchema>) {
    const d = await this.directory.directory({ region: q.region });
    const fresh = new Set(d.versions.filter((v) => !q.since || Date.parse(v.publishedAt) > Date.parse(q.since)).map((v) => v.provinceCode));
    const listings = d.listings.filter((l) => fresh.has(l.provinceCode)).sort((a, b) => a.id.localeCompare(b.id));
    return {
      versions: d.versions, items: listings.slice((q.page - 1) * q.pageSize, q.page * q.pageSize), total: listings.length, page: q.page, pageSize: q.pageSize,
      /** Pass as `since` next time: the newest version's publication. */
      since: d.versions.map((v) => v.publishedAt).sort().pop() ?? null,
    };
  }

  releases(province?: string) {
    return this.reports.releases(province);
  }

  release(province: string, month: string) {
    return this.reports.release(province, month);
  }
}

function post(r: PostRow): FeedPost {
  return {
    id: r.post_id, marketId: r.market_id, marketName: r.market_name, regionCode: r.region_code, employerName: r.employer_name,
    employerVerified: r.employer_verified, title: r.title, occupation: r.occupation, headcount: r.headcount, wageFen: r.wage_fen,
    wageUnit: r.wage_unit, period: r.period, startAt: isoOf(r.start_at), expiresAt: isoOf(r.expires_at), place: r.place, status: r.status,
  };
}
