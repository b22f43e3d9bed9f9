import { isoOf, type AccessColumns } from '@linggong/api-core';
import type { DirectoryContact, ListingView, PointView, PublicListing, PublicModelTitle } from '@linggong/domain';

/** The directory context's tables as the driver returns them (api-core `rows.ts` says how types map). */
export interface ListingRow {
  id: string; version_id: string; source: ListingView['source']; source_id: string; tenant_id: string | null; region_code: string;
  name: string; nature: ListingView['nature']; address: string | null; longitude: number | null; latitude: number | null;
  opening_hours: string | null; occupations: string[]; contacts: DirectoryContact[]; hotline: string | null;
  seeker_scale: number | null; main_occupations: string[]; daily_hires: string | null; hires: number | null; open_days: number | null;
  figures_basis: ListingView['figuresBasis']; status: ListingView['status']; return_reason: string | null;
  returned_at: Date | null; returned_by: string | null; confirmed_at: Date | null; confirmed_by: string | null; resubmitted_at: Date | null; updated_at: Date;
}
export interface VersionRow {
  id: string; province_code: string; quarter: string; seq: number; trigger: 'quarter_end' | 'on_demand'; figures_from: string; figures_to: string;
  status: 'open' | 'published'; frozen_at: Date; frozen_by: string | null; published_at: Date | null; published_by: string | null;
}
export interface PointRow {
  id: string; region_code: string; name: string; nature: PointView['nature']; address: string; longitude: number | null; latitude: number | null;
  opening_hours: string | null; occupations: string[]; contacts: DirectoryContact[]; hotline: string | null; seeker_scale: number | null;
  daily_hires: string | null; main_occupations: string[]; note: string; removed_at: Date | null; created_by: string | null; created_at: Date; updated_at: Date;
}

/** Listings carry the market's tenant (null for a gathering point) and county (CASL subject `Directory`). */
export const LISTING_ACCESS = (a = 'l'): AccessColumns => ({ tenantId: `${a}.tenant_id`, regionCode: `${a}.region_code` });
/** Gathering points carry only their county: no operator's rule (tenantId) ever matches one. */
export const POINT_ACCESS = (a = 'p'): AccessColumns => ({ regionCode: `${a}.region_code`, tenantId: 'NULL::uuid' });
export const listingScope = (r: Pick<ListingRow, 'tenant_id' | 'region_code'>) => ({ tenantId: r.tenant_id, regionCode: r.region_code });

const num = (v: string | null) => (v === null ? null : Number(v));

export function listingView(r: ListingRow, names: Map<string, string>): ListingView {
  const city = r.region_code.slice(0, 4);
  return {
    id: r.id, versionId: r.version_id, source: r.source, sourceId: r.source_id, operatorId: r.tenant_id,
    regionCode: r.region_code, regionName: names.get(r.region_code) ?? null, cityCode: city, cityName: names.get(city) ?? null,
    name: r.name, nature: r.nature, address: r.address, openingHours: r.opening_hours, occupations: r.occupations, contacts: r.contacts,
    hotline: r.hotline, seekerScale: r.seeker_scale, mainOccupations: r.main_occupations, dailyHires: num(r.daily_hires),
    figuresBasis: r.figures_basis, hires: r.hires, openDays: r.open_days, longitude: r.longitude, latitude: r.latitude,
    status: r.status, returnReason: r.return_reason, returnedAt: isoOf(r.returned_at), confirmedAt: isoOf(r.confirmed_at), resubmittedAt: isoOf(r.resubmitted_at),
  };
}

/** What the public sees of a published listing: no operator, no review state. */
export function publicListing(r: ListingRow, provinceCode: string, names: Map<string, string>, titles: Map<string, PublicModelTitle[]> = new Map()): PublicListing {
  const city = r.region_code.slice(0, 4);
  return {
    id: r.id, source: r.source, marketId: r.source === 'market' ? r.source_id : null, name: r.name, nature: r.nature, provinceCode,
    cityCode: city, cityName: names.get(city) ?? null, regionCode: r.region_code, regionName: names.get(r.region_code) ?? null,
    address: r.address, openingHours: r.opening_hours, hotline: r.hotline, contacts: r.contacts, occupations: r.occupations,
    seekerScale: r.seeker_scale, mainOccupations: r.main_occupations, dailyHires: num(r.daily_hires), longitude: r.longitude, latitude: r.latitude,
    modelTitles: r.source === 'market' ? titles.get(r.source_id) ?? [] : [],
  };
}

export function pointView(r: PointRow, names: Map<string, string>): PointView {
  return {
    id: r.id, regionCode: r.region_code, regionName: names.get(r.region_code) ?? null, name: r.name, nature: r.nature, address: r.address,
    openingHours: r.opening_hours, occupations: r.occupations, contacts: r.contacts, hotline: r.hotline, seekerScale: r.seeker_scale,
    dailyHires: num(r.daily_hires), mainOccupations: r.main_occupations, longitude: r.longitude, latitude: r.latitude, note: r.note,
    createdAt: isoOf(r.created_at), updatedAt: isoOf(r.updated_at),
  };
}
