import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LEDGER_KINDS } from '@linggong/domain';

/**
 * Every work-log kind has its label in both console languages (issue 17 §4): an entry never shows a raw
 * key such as `ledger.kind.assistance_plan`. No database needed.
 */
const labels = (lang: string) =>
  (JSON.parse(readFileSync(join(__dirname, '../../libs/console/ledger/i18n', `${lang}.json`), 'utf8')) as { ledger: { kind: Record<string, string> } }).ledger.kind;

describe('work-log kind labels', () => {
  it.each(['zh-CN', 'en'])('every LEDGER_KINDS member has a %s label', (lang) => {
    const kind = labels(lang);
    expect(LEDGER_KINDS.filter((k) => !kind[k]?.trim())).toEqual([]);
  });
});
