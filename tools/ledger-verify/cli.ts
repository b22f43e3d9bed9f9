import { readFileSync } from 'node:fs';
import { createPublicKey } from 'node:crypto';
import { verifyFiles } from './verify-file';

/**
 * tools/ledger-verify — check a work-log ledger export without the database.
 *
 *   node dist/tools/ledger-verify/main.js EXPORT.jsonl [more.jsonl…] --receipts RECEIPTS.jsonl --public-key KEY.pem[=keyId]
 *
 * Exit code 0: everything verifies. 1: a problem was found (the first broken link is printed). 2: usage.
 */
async function main() {
  const args = process.argv.slice(2);
  const exports: string[] = [];
  const receipts: string[] = [];
  const keys: Record<string, string> = {};
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--receipts') receipts.push(args[++i]);
    else if (a === '--public-key') {
      const [file, id] = args[++i].split('=');
      const pem = readFileSync(file, 'utf8');
      createPublicKey(pem);
      keys[id ?? 'platform-dev-1'] = pem;
    } else if (a === '--json') json = true;
    else if (a.startsWith('-')) return usage();
    else exports.push(a);
  }
  if (!exports.length) return usage();
  const started = Date.now();
  const report = await verifyFiles({ exports, receipts, publicKeys: Object.keys(keys).length ? keys : undefined });
  if (json) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    for (const w of report.warnings) console.error(`warning: ${w}`);
    console.log(`${report.entries} entries, ${report.seals} seals, ${report.receipts} receipts, ${report.markets} market(s) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (report.ok) console.log('OK: every chain, Merkle root, signature and receipt verifies');
    else {
      const f = report.firstBad;
      console.log(`BROKEN: first bad link: market ${f?.marketId} sequence ${f?.seq ?? '-'} day ${f?.businessDay ?? '-'}: ${f?.code}: ${f?.detail}`);
      console.log(`${report.problems.length} problem(s) in all`);
    }
  }
  process.exit(report.ok ? 0 : 1);
}

function usage() {
  console.error('usage: ledger-verify EXPORT.jsonl [...] [--receipts RECEIPTS.jsonl] [--public-key KEY.pem[=keyId]] [--json]');
  process.exit(2);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(2);
});
