import { diffListings, directoryFigures, lastCompleteQuarter, ministryRow, previousQuarter, quarterOf, quarterRange, type ListingView } from './directory';

describe('directory quarters (003 (十): quarterly updates)', () => {
  it.each([
    ['2026-01-01', '2026Q1'], ['2026-03-31', '2026Q1'], ['2026-04-01', '2026Q2'], ['2026-09-30', '2026Q3'], ['2026-12-06', '2026Q4'],
  ])('%s is in %s', (day, q) => expect(quarterOf(day)).toBe(q));
  it('knows each quarter\'s first and last day, February of a leap year included', () => {
    expect(quarterRange('2026Q3')).toEqual({ from: '2026-07-01', to: '2026-09-30' });
    expect(quarterRange('2026Q4')).toEqual({ from: '2026-10-01', to: '2026-12-31' });
    expect(quarterRange('2028Q1')).toEqual({ from: '2028-01-01', to: '2028-03-31' });
    expect(quarterRange('2026Q2')).toEqual({ from: '2026-04-01', to: '2026-06-30' });
  });
  it('the quarter-end job freezes the quarter before the day it runs', () => {
    expect(previousQuarter('2027Q1')).toBe('2026Q4');
    expect(lastCompleteQuarter('2026-10-01')).toBe('2026Q3');
    expect(lastCompleteQuarter('2027-01-01')).toBe('2026Q4');
  });
});

describe('directory figures (R-E1)', () => {
  it('job-seeker scale, daily average hires over open days, the three occupations with most hires', () => {
    expect(directoryFigures({ seekers: 41, hires: 25, openDays: 8, byOccupation: [
      { occupation: '保洁员', hires: 5 }, { occupation: '装卸搬运工', hires: 12 }, { occupation: '建筑小工', hires: 5 }, { occupation: '瓦工', hires: 3 }, { occupation: '', hires: 0 },
    ] })).toEqual({ seekerScale: 41, dailyHires: 3.13, mainOccupations: ['装卸搬运工', '保洁员', '建筑小工'] });
  });
  it('a market that never opened has no hires a day and no main occupations', () => {
    expect(directoryFigures({ seekers: 0, hires: 0, openDays: 0, byOccupation: [] })).toEqual({ seekerScale: 0, dailyHires: 0, mainOccupations: [] });
  });
});

const listing = (over: Partial<ListingView>): ListingView => ({
  id: 'x', versionId: 'v', source: 'market', sourceId: 'm1', operatorId: 'o', regionCode: '410122', regionName: '中牟县', cityCode: '4101', cityName: '郑州市',
  name: '中牟县零工市场', nature: 'public', address: '青年路', openingHours: '6:00-12:00', occupations: ['保洁员'], contacts: [], hotline: '0371-62112333',
  seekerScale: 10, mainOccupations: ['保洁员'], dailyHires: 1.5, figuresBasis: 'work_log', hires: 3, openDays: 2, longitude: null, latitude: null,
  status: 'confirmed', returnReason: null, returnedAt: null, confirmedAt: null, resubmittedAt: null, ...over,
});

describe('the diff between two versions', () => {
  it('matches listings by source, names added, removed and the changed fields only', () => {
    const a = [listing({}), listing({ sourceId: 'm2', name: '中牟县官渡镇零工服务站' })];
    const b = [listing({ id: 'y', openingHours: '5:30-12:00', seekerScale: 12, status: 'pending' }), listing({ source: 'point', sourceId: 'p1', name: '人民路桥下零工聚集点', nature: 'spontaneous' })];
    const d = diffListings(a, b);
    expect(d.added.map((l) => l.name)).toEqual(['人民路桥下零工聚集点']);
    expect(d.removed.map((l) => l.name)).toEqual(['中牟县官渡镇零工服务站']);
    expect(d.changed).toEqual([{ key: 'market:m1', name: '中牟县零工市场', regionCode: '410122', changes: [
      { field: 'openingHours', before: '6:00-12:00', after: '5:30-12:00' }, { field: 'seekerScale', before: 10, after: 12 },
    ] }]);
  });
});

describe('the ministry\'s row (000 九)', () => {
  it('is in the notice\'s field order, nature in words', () => {
    expect(ministryRow(listing({ contacts: [{ name: '值班员', phone: '0371-62100000' }] }))).toEqual([
      '中牟县零工市场', '公共', '青年路', '6:00-12:00', '保洁员', '值班员 0371-62100000；热线 0371-62112333', 10, '保洁员', 1.5,
    ]);
  });
});
