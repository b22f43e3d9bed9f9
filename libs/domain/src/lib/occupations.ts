/**
 * The occupation (工种) dictionary used by workers, posts and the check-in queue. Names follow the
 * 《中华人民共和国职业分类大典（2022年版）》 wording where one exists, shortened to what front-desk staff
 * say; the stored value is the Chinese name, so records stay readable in exports and the work log.
 * `refDayFen` is a reference day wage (fen) for the red-flag check when a region has too few posts
 * of its own to compute a median (it is a plausibility floor, not a price list).
 */
export interface Occupation { name: string; en: string; category: OccupationCategory; refDayFen: number }
export type OccupationCategory = 'construction' | 'logistics' | 'agriculture' | 'manufacturing' | 'services' | 'domestic' | 'hospitality' | 'sales';

export const OCCUPATIONS: readonly Occupation[] = [
  { name: '装卸搬运工', en: 'Loader', category: 'logistics', refDayFen: 18000 },
  { name: '快递分拣员', en: 'Parcel sorter', category: 'logistics', refDayFen: 15000 },
  { name: '仓库理货员', en: 'Warehouse clerk', category: 'logistics', refDayFen: 15000 },
  { name: '货车司机', en: 'Truck driver', category: 'logistics', refDayFen: 30000 },
  { name: '外卖配送员', en: 'Food delivery rider', category: 'logistics', refDayFen: 20000 },
  { name: '建筑小工', en: 'Construction labourer', category: 'construction', refDayFen: 20000 },
  { name: '瓦工', en: 'Bricklayer', category: 'construction', refDayFen: 30000 },
  { name: '木工', en: 'Carpenter', category: 'construction', refDayFen: 32000 },
  { name: '钢筋工', en: 'Steel fixer', category: 'construction', refDayFen: 30000 },
  { name: '电工', en: 'Electrician', category: 'construction', refDayFen: 32000 },
  { name: '焊工', en: 'Welder', category: 'construction', refDayFen: 32000 },
  { name: '油漆工', en: 'Painter', category: 'construction', refDayFen: 28000 },
  { name: '水暖工', en: 'Plumber', category: 'construction', refDayFen: 30000 },
  { name: '装修工', en: 'Decorator', category: 'construction', refDayFen: 28000 },
  { name: '农业采摘工', en: 'Fruit / vegetable picker', category: 'agriculture', refDayFen: 12000 },
  { name: '大棚种植工', en: 'Greenhouse worker', category: 'agriculture', refDayFen: 12000 },
  { name: '园林绿化工', en: 'Gardener', category: 'agriculture', refDayFen: 15000 },
  { name: '养殖工', en: 'Livestock worker', category: 'agriculture', refDayFen: 14000 },
  { name: '普工', en: 'Factory worker', category: 'manufacturing', refDayFen: 15000 },
  { name: '包装工', en: 'Packer', category: 'manufacturing', refDayFen: 13000 },
  { name: '缝纫工', en: 'Sewing machinist', category: 'manufacturing', refDayFen: 15000 },
  { name: '质检员', en: 'Quality inspector', category: 'manufacturing', refDayFen: 16000 },
  { name: '保洁员', en: 'Cleaner', category: 'services', refDayFen: 12000 },
  { name: '保安员', en: 'Security guard', category: 'services', refDayFen: 13000 },
  { name: '家政服务员', en: 'Housekeeper', category: 'domestic', refDayFen: 18000 },
  { name: '育婴员', en: 'Nanny', category: 'domestic', refDayFen: 22000 },
  { name: '养老护理员', en: 'Elderly-care worker', category: 'domestic', refDayFen: 20000 },
  { name: '厨师', en: 'Cook', category: 'hospitality', refDayFen: 22000 },
  { name: '帮厨', en: 'Kitchen helper', category: 'hospitality', refDayFen: 13000 },
  { name: '餐厅服务员', en: 'Waiter', category: 'hospitality', refDayFen: 12000 },
  { name: '促销员', en: 'Promoter', category: 'sales', refDayFen: 15000 },
  { name: '会展搭建工', en: 'Exhibition set-up worker', category: 'services', refDayFen: 20000 },
];

export const OCCUPATION_NAMES = OCCUPATIONS.map((o) => o.name) as [string, ...string[]];

export function occupationOf(name: string): Occupation | undefined {
  return OCCUPATIONS.find((o) => o.name === name);
}
