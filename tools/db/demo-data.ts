import { createHash } from 'node:crypto';
import type { OccupationCategory } from '@linggong/domain';

/**
 * Reference data and small generators for the demo activity (tools/db/demo-activity.ts): a seeded
 * random source, Chinese names, places around the three demo counties, company names, and identity
 * numbers that pass the same checksums as the API (GB 11643 resident ID, GB 32100 credit code with
 * a GB 11714 organisation code inside).
 */

// ── Random source ──────────────────────────────────────────────────────────────────────────────

/** A small seeded generator (sfc32), so one date and one market always give the same demo. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: string) {
    const h = createHash('sha256').update(seed).digest();
    this.a = h.readUInt32LE(0);
    this.b = h.readUInt32LE(4);
    this.c = h.readUInt32LE(8);
    this.d = h.readUInt32LE(12);
    for (let i = 0; i < 12; i++) this.next();
  }
  /** Uniform in [0, 1). */
  next(): number {
    this.a >>>= 0; this.b >>>= 0; this.c >>>= 0; this.d >>>= 0;
    const t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    const r = (t + this.d) | 0;
    this.c = (this.c + r) | 0;
    return (r >>> 0) / 4294967296;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  range(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  /** One of the keys, with probability proportional to its weight. */
  weighted<T>(pairs: readonly (readonly [T, number])[]): T {
    const total = pairs.reduce((s, [, w]) => s + w, 0);
    let x = this.next() * total;
    for (const [v, w] of pairs) {
      x -= w;
      if (x < 0) return v;
    }
    return pairs[pairs.length - 1][0];
  }
  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = Math.max(this.next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
  /** Poisson-like count around a mean (normal approximation, never negative). */
  count(mean: number): number {
    if (mean <= 0) return 0;
    if (mean < 12) {
      // Knuth for small means.
      const l = Math.exp(-mean);
      let k = 0;
      let p = 1;
      do { k++; p *= this.next(); } while (p > l);
      return k - 1;
    }
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
  }
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [xs[i], xs[j]] = [xs[j], xs[i]];
    }
    return xs;
  }
  /** k items without replacement, each chosen with probability proportional to its weight (Efraimidis–Spirakis). */
  sample<T>(xs: readonly T[], weight: (x: T) => number, k: number): T[] {
    const keyed: [number, T][] = [];
    for (const x of xs) {
      const w = weight(x);
      if (w > 0) keyed.push([Math.log(Math.max(this.next(), 1e-12)) / w, x]);
    }
    keyed.sort((p, q) => q[0] - p[0]);
    return keyed.slice(0, k).map(([, x]) => x);
  }
  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += Math.floor(this.next() * 16).toString(16);
    return s;
  }
}

/** A UUIDv7 (as the API's newId) whose time is the record's own time, from the seeded source. */
export function uuidv7(rng: Rng, ms: number): string {
  const b = Buffer.alloc(16);
  b.writeUIntBE(Math.floor(ms), 0, 6);
  for (let i = 6; i < 16; i++) b[i] = Math.floor(rng.next() * 256);
  b[6] = 0x70 | (b[6] & 0x0f);
  b[8] = 0x80 | (b[8] & 0x3f);
  const h = b.toString('hex');
  const id = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  // An id must not look like a mobile number where lists are checked for unmasked phones.
  return /(?<!\d)1[3-9]\d{9}(?!\d)/.test(id) ? uuidv7(rng, ms) : id;
}

// ── People ─────────────────────────────────────────────────────────────────────────────────────

/** Common surnames, weighted roughly by their frequency in Henan. */
const SURNAMES: [string, number][] = [
  ['王', 75], ['李', 70], ['张', 70], ['刘', 55], ['陈', 35], ['杨', 32], ['赵', 30], ['郭', 25], ['孙', 20], ['周', 18],
  ['马', 18], ['高', 18], ['黄', 15], ['胡', 15], ['朱', 15], ['宋', 15], ['吴', 12], ['徐', 12], ['郑', 12], ['许', 10],
  ['梁', 10], ['韩', 10], ['冯', 9], ['程', 9], ['曹', 9], ['吕', 9], ['贾', 9], ['魏', 9], ['范', 9], ['于', 8], ['董', 8],
  ['袁', 8], ['何', 8], ['田', 8], ['任', 8], ['常', 7], ['丁', 7], ['苏', 7], ['杜', 7], ['闫', 6], ['郝', 6], ['白', 6],
  ['崔', 6], ['孟', 6], ['侯', 6], ['姚', 6], ['石', 6], ['牛', 6], ['武', 6], ['付', 6], ['薛', 6], ['卢', 6], ['蔡', 6],
  ['罗', 6], ['唐', 6], ['邓', 6], ['彭', 5], ['申', 5], ['乔', 5], ['史', 5], ['秦', 5], ['段', 5], ['姜', 5], ['蒋', 5],
  ['谢', 5], ['林', 5], ['孔', 4], ['康', 4], ['毛', 4], ['邵', 4], ['贺', 4], ['樊', 4], ['尹', 4], ['雷', 4], ['方', 4],
  ['夏', 4], ['潘', 4], ['叶', 4], ['余', 4], ['沈', 4], ['靳', 3], ['耿', 3], ['岳', 3], ['翟', 3], ['汤', 3], ['万', 3],
  ['秦', 3], ['文', 3], ['邱', 3], ['江', 3], ['熊', 3], ['金', 3], ['司', 2], ['娄', 2], ['龚', 2], ['顾', 2], ['易', 2],
];
const MALE_CHARS = '建国军伟强磊勇涛斌超明刚平辉鹏华飞鑫波杰浩亮林峰志海东文新春永金振宏庆保成进德福长学宝全忠山喜发民锋帅晨阳博宇旭龙坤凯俊鸿铁柱红卫兵胜利栓根来顺';
const FEMALE_CHARS = '秀英华丽芳娟敏静燕艳霞玲梅兰红琴云莲萍凤洁娜丹慧玉珍翠桂春月雪婷倩颖蕊佳悦琳雅欣晓巧素淑彩荣香爱瑞环菊';
/** Given names of the generation born in the 1950s–70s, still common among gig workers. */
const OLD_MALE = ['建国', '建军', '国强', '国庆', '卫东', '红卫', '胜利', '建设', '永强', '保国', '拴柱', '铁柱', '金锁', '满囤', '长海', '新民', '振华', '志刚'];
const OLD_FEMALE = ['秀英', '桂兰', '玉兰', '秀兰', '桂英', '凤英', '淑珍', '桂芳', '玉梅', '秀梅', '翠花', '春梅', '爱琴', '素芳', '玉芝', '彩霞'];

export function personName(rng: Rng, gender: 'male' | 'female', birthYear: number): string {
  const surname = rng.weighted(SURNAMES);
  if (birthYear < 1975 && rng.chance(0.35)) return surname + rng.pick(gender === 'male' ? OLD_MALE : OLD_FEMALE);
  const chars = gender === 'male' ? MALE_CHARS : FEMALE_CHARS;
  if (rng.chance(0.22)) return surname + rng.pick([...chars]);
  return surname + rng.pick([...chars]) + rng.pick([...chars]);
}

export function surname(rng: Rng): string {
  return rng.weighted(SURNAMES);
}

/**
 * Mobile prefixes of the three carriers. The test suites type numbers beginning 134–139 and 19x,
 * so the demo leaves those out (a demo number must never collide with a test's "new" worker).
 */
const MOBILE_PREFIXES = ['130', '131', '132', '133', '150', '151', '152', '153', '155', '156', '157', '158', '159', '166', '173', '175', '176', '177', '178', '180', '181', '182', '183', '185', '186', '187', '188', '189'];

export function mobile(rng: Rng, taken: Set<string>): string {
  for (;;) {
    const m = rng.pick(MOBILE_PREFIXES) + String(rng.int(0, 99_999_999)).padStart(8, '0');
    if (!taken.has(m)) {
      taken.add(m);
      return m;
    }
  }
}

/** Home counties of the demo's workers: mostly local, many from the labour-exporting counties of eastern and southern Henan. */
const ID_AREAS: Record<string, [string, number][]> = {
  '410122': [['410122', 60], ['410184', 5], ['410223', 6], ['410225', 5], ['411625', 6], ['411623', 5], ['411421', 4], ['411523', 3], ['341221', 2], ['410181', 4]],
  '410184': [['410184', 55], ['410122', 5], ['410183', 6], ['410185', 4], ['411625', 7], ['411624', 6], ['411322', 4], ['411702', 5], ['342201', 3], ['410221', 5]],
  '410327': [['410327', 70], ['410323', 6], ['410328', 6], ['410329', 6], ['410326', 4], ['410325', 3], ['411224', 3], ['410381', 2]],
};

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** A resident ID number (GB 11643) with its MOD 11-2 check character; the 17th digit gives the sex. */
export function idNumber(rng: Rng, county: string, birthDate: string, gender: 'male' | 'female', taken: Set<string>): string {
  for (;;) {
    const area = rng.weighted(ID_AREAS[county] ?? ID_AREAS['410122']);
    const sexDigit = gender === 'male' ? rng.pick([1, 3, 5, 7, 9]) : rng.pick([0, 2, 4, 6, 8]);
    const body = `${area}${birthDate.replace(/-/g, '')}${String(rng.int(0, 99)).padStart(2, '0')}${sexDigit}`;
    const sum = ID_WEIGHTS.reduce((s, w, i) => s + w * Number(body[i]), 0);
    const id = body + '10X98765432'[sum % 11];
    if (!taken.has(id)) {
      taken.add(id);
      return id;
    }
  }
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/**
 * A unified social credit code (GB 32100): registration authority and kind ('91' company, '92'
 * individual business, '93' farmers' cooperative), the county code, the 9-character organisation
 * code (GB 11714: 'MA' and six characters plus its own check), and the MOD 31 check character.
 */
export function creditCode(rng: Rng, kind: '91' | '92' | '93', county: string, taken: Set<string>): string {
  const orgChars = USCC_CHARS.replace(/[IOSVZ]/g, '');
  for (;;) {
    let org = 'MA';
    for (let i = 0; i < 6; i++) org += rng.pick([...orgChars]);
    const value = (c: string) => (/\d/.test(c) ? Number(c) : c.charCodeAt(0) - 55);
    const s = ORG_WEIGHTS.reduce((acc, w, i) => acc + w * value(org[i]), 0);
    const c9 = 11 - (s % 11);
    org += c9 === 10 ? 'X' : c9 === 11 ? '0' : String(c9);
    const body = `${kind}${county}${org}`;
    const sum = USCC_WEIGHTS.reduce((acc, w, i) => acc + w * USCC_CHARS.indexOf(body[i]), 0);
    const code = body + USCC_CHARS[(31 - (sum % 31)) % 31];
    if (!taken.has(code)) {
      taken.add(code);
      return code;
    }
  }
}

// ── Places ─────────────────────────────────────────────────────────────────────────────────────

/** Towns (乡镇、街道) of the three demo counties, with an approximate offset from the county's main market in km (east, north). */
export const TOWNS: Record<string, [string, number, number][]> = {
  '410122': [['城关镇', 0, 0], ['青年路街道', 1, 1], ['韩寺镇', -6, 5], ['官渡镇', 10, 2], ['狼城岗镇', 18, 9], ['万滩镇', 8, 12], ['白沙镇', -14, -1],
    ['郑庵镇', -13, -5], ['张庄镇', 12, -8], ['黄店镇', 4, -9], ['大孟镇', -5, -11], ['九龙镇', -16, -9], ['刘集镇', -7, -7], ['姚家镇', 16, -2], ['雁鸣湖镇', 14, 6]],
  '410184': [['新建路街道', 0, 0], ['新华路街道', 1, -1], ['新烟街道', -1, 1], ['和庄镇', 10, 8], ['薛店镇', 8, 16], ['孟庄镇', 2, 10], ['郭店镇', 1, 17],
    ['龙湖镇', -1, 17], ['梨河镇', 9, -3], ['辛店镇', -12, -4], ['观音寺镇', 4, -9], ['城关乡', -3, 3], ['八千乡', 14, 5]],
  '410327': [['城关镇', 0, 0], ['寻村镇', -8, -4], ['丰李镇', 6, 6], ['柳泉镇', 4, -9], ['韩城镇', -14, -2], ['白杨镇', -16, -9], ['香鹿山镇', 3, 2],
    ['锦屏镇', 2, -3], ['三乡镇', -11, -8], ['张坞镇', -20, -6], ['莲庄镇', -6, 3], ['赵保镇', -18, -14], ['盐镇乡', -10, -18], ['高村乡', 10, -8], ['上观乡', -24, -16]],
};
const VILLAGE_HEADS = ['张', '王', '李', '刘', '孙', '赵', '杨', '郭', '宋', '马', '朱', '高', '魏', '岳', '冯', '韩', '曹', '程'];
const VILLAGE_TAILS = ['庄村', '营村', '岗村', '寨村', '楼村', '湾村', '洼村', '店村', '桥村', '坡村', '沟村', '河村'];

export function village(rng: Rng): string {
  return rng.pick(['东', '西', '南', '北', '前', '后', '大', '小', '']) + rng.pick(VILLAGE_HEADS) + rng.pick(VILLAGE_TAILS);
}

export const COUNTY_NAMES: Record<string, string> = { '410122': '中牟县', '410184': '新郑市', '410327': '宜阳县' };

// ── Employers ──────────────────────────────────────────────────────────────────────────────────

const BRANDS = ['豫丰', '中原', '金穗', '绿源', '宏达', '恒通', '顺发', '鑫源', '汇通', '嘉禾', '丰收', '瑞丰', '安泰', '博远', '华兴', '康达', '众鑫',
  '盛世', '永盛', '聚力', '天润', '新港', '航港', '惠民', '益农', '田园', '沃土', '锦程', '通达', '利民', '福瑞', '德润', '泰和', '万家', '兴旺', '宜居',
  '洛川', '伊河', '河洛', '凤凰', '郑泰', '牟山', '官渡', '溱洧', '新城', '长荣', '宏基', '金鼎', '润农', '豫秀', '顺捷', '速达', '佳美', '康宁', '百草'];

const COMPANY_FORMS: Record<OccupationCategory, [string, '91' | '92' | '93'][]> = {
  construction: [['建筑劳务有限公司', '91'], ['建设工程有限公司', '91'], ['装饰工程有限公司', '91'], ['水电安装工程有限公司', '91']],
  logistics: [['物流有限公司', '91'], ['供应链管理有限公司', '91'], ['仓储服务有限公司', '91'], ['货运部', '92']],
  agriculture: [['种植专业合作社', '93'], ['农业科技有限公司', '91'], ['家庭农场', '92'], ['果蔬专业合作社', '93'], ['养殖专业合作社', '93'], ['园林绿化工程有限公司', '91']],
  manufacturing: [['食品有限公司', '91'], ['电子科技有限公司', '91'], ['服饰有限公司', '91'], ['包装制品有限公司', '91'], ['塑业有限公司', '91']],
  services: [['物业服务有限公司', '91'], ['保安服务有限公司', '91'], ['会展服务有限公司', '91'], ['保洁服务部', '92']],
  domestic: [['家政服务有限公司', '91'], ['养老服务中心', '91'], ['母婴护理服务部', '92']],
  hospitality: [['餐饮管理有限公司', '91'], ['大酒店有限公司', '91'], ['烩面馆', '92'], ['农家乐', '92']],
  sales: [['商贸有限公司', '91'], ['超市有限公司', '91'], ['电子商务有限公司', '91']],
};

export function companyName(rng: Rng, county: string, category: OccupationCategory, taken: Set<string>): { name: string; code: '91' | '92' | '93' } {
  for (;;) {
    const [form, code] = rng.pick(COMPANY_FORMS[category]);
    const prefix = code === '91' && rng.chance(0.5) ? (county === '410327' ? '洛阳' : '郑州') : COUNTY_NAMES[county] ?? '';
    const name = `${prefix}${rng.pick(BRANDS)}${form}`;
    if (!taken.has(name)) {
      taken.add(name);
      return { name, code };
    }
  }
}

// ── Skills and post wording per occupation ─────────────────────────────────────────────────────

export const SKILLS: Record<string, string[]> = {
  装卸搬运工: ['叉车', '能吃苦', '夜班'], 快递分拣员: ['夜班', '扫描枪'], 仓库理货员: ['叉车', '盘点', 'WMS系统'], 货车司机: ['B2驾照', 'A2驾照', 'C1驾照'],
  外卖配送员: ['电动车', '熟悉城区'], 建筑小工: ['和灰', '搬砖', '扎钢筋'], 瓦工: ['砌墙', '贴砖', '抹灰'], 木工: ['支模', '装修木工'],
  钢筋工: ['钢筋绑扎', '看图纸'], 电工: ['低压电工证', '高压电工证'], 焊工: ['焊工证', '氩弧焊', '二保焊'], 油漆工: ['乳胶漆', '真石漆'],
  水暖工: ['管道安装', '水电改造'], 装修工: ['刮腻子', '吊顶', '贴砖'], 农业采摘工: ['大蒜', '草莓', '西瓜', '葡萄'],
  大棚种植工: ['草莓大棚', '蔬菜大棚', '嫁接'], 园林绿化工: ['修剪', '草坪养护', '绿篱机'], 养殖工: ['生猪', '蛋鸡', '奶牛'],
  普工: ['流水线', '夜班'], 包装工: ['打包', '贴标'], 缝纫工: ['平车', '包缝'], 质检员: ['外观检验', '卡尺'], 保洁员: ['开荒保洁', '擦玻璃'],
  保安员: ['保安员证', '消防证'], 家政服务员: ['做饭', '收纳'], 育婴员: ['育婴师证', '早教'], 养老护理员: ['养老护理员证', '失能照护'],
  厨师: ['中式烹调师证', '大锅菜', '面点'], 帮厨: ['切配', '洗碗'], 餐厅服务员: ['传菜', '收银'], 促销员: ['商超促销', '直播带货'],
  会展搭建工: ['桁架搭建', '展台木工'],
};

/** Job titles per occupation; `{crop}` is replaced by what is in season. */
export const TITLES: Record<string, string[]> = {
  装卸搬运工: ['物流园卸货', '水泥装卸', '家具装车', '化肥卸车', '{crop}装车', '建材卸车'], 快递分拣员: ['快递分拣', '包裹分拣（夜班）', '电商大促分拣'],
  仓库理货员: ['仓库理货', '电商仓打包理货', '冷库理货'], 货车司机: ['短途货运司机', '4.2米厢货司机', '农产品拉运司机'],
  外卖配送员: ['午高峰外卖配送', '外卖骑手（兼职）'], 建筑小工: ['工地小工', '清理建筑垃圾', '搬砖和灰'], 瓦工: ['砌墙瓦工', '贴砖师傅'],
  木工: ['支模木工', '装修木工'], 钢筋工: ['钢筋绑扎', '楼板钢筋工'], 电工: ['厂房电路检修', '装修水电'], 焊工: ['钢结构焊接', '二保焊焊工'],
  油漆工: ['外墙涂料', '室内乳胶漆'], 水暖工: ['管道安装', '暖气改造'], 装修工: ['刮腻子', '家装辅工'],
  农业采摘工: ['{crop}采收', '{crop}分拣', '田间帮工'], 大棚种植工: ['草莓大棚定植', '大棚蔬菜管理', '大棚扣膜'],
  园林绿化工: ['道路绿化养护', '苗木移栽', '草坪修剪'], 养殖工: ['养殖场清理', '蛋鸡场捡蛋', '养殖场帮工'], 普工: ['食品厂普工', '电子厂普工', '流水线临时工'],
  包装工: ['礼盒包装', '农产品包装', '电商包装'], 缝纫工: ['服装厂缝纫', '床品缝纫'], 质检员: ['电子产品外观检验', '食品厂质检'],
  保洁员: ['开荒保洁', '小区保洁', '写字楼保洁'], 保安员: ['活动安保', '小区门岗'], 家政服务员: ['家庭保洁（4小时）', '做饭阿姨', '家庭大扫除'],
  育婴员: ['育婴师', '月嫂（26天）'], 养老护理员: ['失能老人陪护', '医院陪护'], 厨师: ['大锅菜厨师', '宴席厨师'], 帮厨: ['后厨帮工', '切配帮厨'],
  餐厅服务员: ['婚宴服务员', '餐厅传菜'], 促销员: ['超市促销', '商场活动促销'], 会展搭建工: ['展会搭建', '舞台搭建'],
};

export const REQUIREMENTS = ['身体健康，能吃苦', '有相关经验优先', '自带手套', '包午饭', '工地管午饭，有饮用水', '服从现场安排', '当天结清工钱',
  '需要站立作业', '年龄 55 岁以下', '会使用智能手机扫码签到', '穿劳保鞋', '车接车送'];

/** What is harvested or handled in a month, for titles (central Henan). */
export function cropOf(month: number, county: string): string {
  if (county === '410327') return ['蔬菜', '蔬菜', '蔬菜', '蔬菜', '樱桃', '小麦', '桃子', '花椒', '核桃', '苹果', '红薯', '蔬菜'][month - 1] ?? '蔬菜';
  return ['草莓', '草莓', '草莓', '蒜薹', '大蒜', '大蒜', '西瓜', '西瓜', '玉米', '花生', '红薯', '草莓'][month - 1] ?? '蔬菜';
}
