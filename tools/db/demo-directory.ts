import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BullModule } from '@nestjs/bullmq';
import { CoreModule, TenantDb, type AppConfig } from '@linggong/api-core';
import { MarketsModule, MarketsService } from '@linggong/api-markets';
import { DirectoryFreezeService, DirectoryModule, DirectoryService } from '@linggong/api-directory';
import { SCHEMA } from '@linggong/api-schema';
import { quarterOf, quarterRange, previousQuarter, type Actor, type OrgKind, type Role } from '@linggong/domain';
import { shanghaiDay } from '@linggong/ledger-chain';
import { demoId } from './demo-seed';

@Module({})
class DirectoryDemoModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: DirectoryDemoModule,
      imports: [
        CoreModule.forRoot(config, SCHEMA),
        BullModule.forRoot({ connection: { url: config.REDIS_URL }, prefix: `${config.REDIS_PREFIX}:bull` }),
        MarketsModule, DirectoryModule,
      ],
    };
  }
}

const actor = (username: string, org: string, orgKind: OrgKind, region: string, roles: Role[], tenantId?: string): Actor => ({
  userId: demoId(`user:${username}`), username, orgId: demoId(org), orgKind, regionPrefix: orgKind === 'operator' ? undefined : region,
  tenantId, marketIds: [], roles,
});
const PROVINCE = actor('province.auditor', 'henan', 'province', '41', ['province_auditor']);
const CITIES = [actor('city.analyst', 'zhengzhou', 'city', '4101', ['city_analyst']), actor('luoyang.analyst', 'luoyang', 'city', '4103', ['city_analyst'])];
const COUNTIES = [
  actor('county.reviewer', 'zhongmu', 'county', '410122', ['county_reviewer']), actor('xinzheng.reviewer', 'xinzheng', 'county', '410184', ['county_reviewer']),
  actor('yiyang.reviewer', 'yiyang', 'county', '410327', ['county_reviewer']),
];
const OP1 = actor('op1.admin', 'op1', 'operator', '', ['operator_admin'], demoId('op1'));

/** The gathering point 中牟's bureau lists (R-A2: spontaneous, no operator): the dawn gate under the overpass. */
const POINT = {
  regionCode: '410122', name: '中牟县东风路立交桥下零工聚集点', nature: 'spontaneous' as const, address: '河南省郑州市中牟县东风路与郑开大道立交桥下西侧',
  longitude: 113.9731, latitude: 34.7268, openingHours: '每日 05:00-08:30（早市）', occupations: ['建筑小工', '装卸搬运工', '钢筋工', '油漆工'],
  contacts: [], seekerScale: 120, dailyHires: 35, mainOccupations: ['建筑小工', '装卸搬运工'],
  note: '县人社局 2026 年 8 月现场摸排：每日清晨约百人自发聚集，无固定运营方；已安排网格员引导至县零工市场。',
};

/**
 * The directory's demo (issue 14 §6), through the directory's own services as the demo's authorities: with the
 * full history, two quarter-end versions — the quarter before last (frozen on its quarter's next first day) and the
 * last one — each confirmed by the counties, compiled by the two cities and published by the province; 中牟's
 * bureau lists a spontaneous gathering point between the two (so the diff shows it added); in the last quarter's
 * version 中牟's bureau sends 官渡's station back (its hours lacked the noon break), op1 fixes the market and
 * resubmits, and the county confirms. Then this quarter's version frozen on demand, open, for the console's
 * review. With today's activity only (the API test setup), the point and one open version of this quarter, so
 * every tenant has listings. Idempotent: a database that has a directory version is left alone.
 */
export async function seedDirectoryDemo(config: AppConfig, opts: { full: boolean; now?: Date }): Promise<string> {
  const ctx = await NestFactory.createApplicationContext(DirectoryDemoModule.forRoot(config), { logger: ['error', 'warn'] });
  try {
    const db = ctx.get(TenantDb);
    const dir = ctx.get(DirectoryService);
    const freezer = ctx.get(DirectoryFreezeService);
    const markets = ctx.get(MarketsService);
    const now = opts.now ?? new Date();
    const have = await db.run(PROVINCE, (em) => em.query('SELECT count(*)::int AS n FROM directory_versions'));
    if (have[0].n > 0) return 'directory: already present';
    const thisQuarter = quarterOf(shanghaiDay(now));
    const publishAll = async (versionId: string) => {
      for (const c of COUNTIES) {
        for (const l of (await dir.listListings(c, { versionId, page: 1, pageSize: 200, status: 'pending' })).items) await dir.confirm(c, l.id);
      }
      for (const c of CITIES) await dir.compile(c, versionId);
      await dir.publish(PROVINCE, versionId);
    };
    const freezeAt = (quarter: string) => {
      const day = quarterRange(quarter).to;
      // 06:00 Asia/Shanghai on the day after the quarter's last: when the schedule runs.
      const at = new Date(Date.parse(`${day}T22:00:00Z`));
      return db.run(PROVINCE, (em) => freezer.freezeIn(em, PROVINCE, '41', quarter, 'quarter_end', at));
    };
    if (!opts.full) {
      await dir.createPoint(COUNTIES[0], POINT);
      await dir.freeze(PROVINCE, {});
      return 'directory: the gathering point and this quarter\'s open version';
    }
    const last = previousQuarter(thisQuarter);
    const before = previousQuarter(last);
    const v1 = await freezeAt(before);
    await publishAll(v1.version.id);
    await dir.createPoint(COUNTIES[0], POINT);
    const v2 = await freezeAt(last);
    const guandu = (await dir.listListings(COUNTIES[0], { versionId: v2.version.id, page: 1, pageSize: 200, q: '官渡' })).items[0];
    await dir.sendBack(COUNTIES[0], guandu.id, '运行时间只写了上午，午间是否休息、下午几点开门请写清楚，方便群众按时前来。');
    await markets.updateOperations(OP1, demoId('m-guandu'), { openingHours: '周一至周六 06:00-12:00，14:00-17:30（午间休息）' });
    await dir.resubmit(OP1, guandu.id);
    await publishAll(v2.version.id);
    await dir.freeze(PROVINCE, {});
    return `directory: ${before} and ${last} published (one listing sent back and fixed), ${thisQuarter} open for review`;
  } finally {
    await ctx.close();
  }
}
