import GBT4754 from './data/gbt4754-2017-sections.json';

/** GB/T 4754—2017 sections (门类) A–T, the employer's industry (shipped as a data file with its source). */
export const INDUSTRY_SECTIONS: readonly { code: string; zh: string; en: string }[] = GBT4754.sections;
export const INDUSTRY_SOURCE: string = GBT4754.source;
export const INDUSTRY_CODES = INDUSTRY_SECTIONS.map((s) => s.code) as [string, ...string[]];
export function industryName(code: string, lang: 'zh-CN' | 'en' = 'zh-CN'): string {
  const s = INDUSTRY_SECTIONS.find((x) => x.code === code);
  return s ? (lang === 'en' ? s.en : s.zh) : code;
}
