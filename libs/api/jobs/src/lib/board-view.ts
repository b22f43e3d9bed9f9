import type { BoardPostView } from '@linggong/domain';
import { isoOf } from '@linggong/api-core';
import type { PostRow } from './rows';

/** What the board shows of a post: the post, its employer (verified or not) and its market (name, place, hotline). */
export const BOARD_SELECT = `SELECT p.id, p.occupation, p.title, p.headcount, p.hired_count, p.wage_fen, p.wage_unit, p.period, p.period_count, p.start_at,
    p.expires_at, p.place, p.requirements, p.region_code, p.market_id, m.name AS market_name, m.address AS market_address, m.hotline AS market_hotline,
    m.longitude, m.latitude, e.name AS employer_name, e.status AS employer_status
  FROM posts p JOIN markets m ON m.id = p.market_id JOIN employers e ON e.id = p.employer_id`;
/** Open on the board: published, not expired, places left, at an open market. */
export const BOARD_OPEN = `p.status = 'published' AND p.expires_at > now() AND p.hired_count < p.headcount AND m.status = 'open'`;

export interface BoardRow extends Pick<PostRow, 'id' | 'occupation' | 'title' | 'headcount' | 'hired_count' | 'wage_fen' | 'wage_unit' | 'period' | 'period_count' | 'start_at' | 'expires_at' | 'place' | 'requirements' | 'region_code' | 'market_id'> {
  market_name: string; market_address: string | null; market_hotline: string | null; longitude: number | null; latitude: number | null;
  employer_name: string; employer_status: string; distance_km?: number | null;
}

export function boardView(r: BoardRow): BoardPostView {
  return {
    id: r.id, occupation: r.occupation, title: r.title, headcount: r.headcount, openings: r.headcount - r.hired_count,
    wageFen: r.wage_fen, wageUnit: r.wage_unit, period: r.period, periodCount: r.period_count, startAt: isoOf(r.start_at), expiresAt: isoOf(r.expires_at),
    place: r.place, requirements: r.requirements, employerName: r.employer_name, employerVerified: r.employer_status === 'verified',
    marketId: r.market_id, marketName: r.market_name, marketAddress: r.market_address, marketHotline: r.market_hotline, regionCode: r.region_code,
    longitude: r.longitude, latitude: r.latitude, distanceKm: r.distance_km == null ? null : Math.round(Number(r.distance_km) * 10) / 10,
  };
}

