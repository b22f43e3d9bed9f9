/**
 * The languages people read Linggong in. A module of its own, apart from the messages (i18n.ts, ≈ 50 kB):
 * the console's entry needs the language, not the dictionary, and its bundler splits by module, so a
 * public page opened on a weak signal would otherwise load every message (issue 17 §10).
 */
export const LANGS = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGS)[number];

/** Pick zh-CN unless the caller clearly prefers English (Accept-Language). */
export function pickLang(acceptLanguage: string | undefined | null): Lang {
  if (!acceptLanguage) return 'zh-CN';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh-CN';
}
