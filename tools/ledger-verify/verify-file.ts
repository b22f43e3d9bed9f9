import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { KeyObject } from 'node:crypto';
import { LedgerVerifier, publicKeyFromPem, type LedgerEntry, type LedgerReceipt, type LedgerSeal, type VerifyReport } from '@linggong/ledger-chain';

export interface VerifyFilesOptions {
  /** `ledger_export` JSONL files (header, entries, seals). */
  exports: string[];
  /** The authority's receipts (`ledger_exportReceipts` JSONL). Without them the "recompute everything" attack is not detectable. */
  receipts?: string[];
  /** Trusted public keys (PEM files' contents, by key id). When absent the keys in the export header are used, with a warning. */
  publicKeys?: Record<string, string>;
}

async function* lines(file: string): AsyncGenerator<Record<string, unknown>> {
  const rl = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    n++;
    if (!line.trim()) continue;
    try {
      yield JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new Error(`${file}:${n}: not JSON`);
    }
  }
}

/**
 * Verify exports offline, without the database: chains, Merkle roots, seal signatures and, given the
 * authority's receipts, that no sealed day was rewritten (issue 3 §6). Streams, so millions of entries fit.
 */
export async function verifyFiles(opts: VerifyFilesOptions): Promise<VerifyReport & { warnings: string[] }> {
  const warnings: string[] = [];
  // Headers first: the trusted keys and each export's starting point.
  const headerKeys: Record<string, string> = {};
  const start: Record<string, { seq: number; hash: string }> = {};
  for (const file of opts.exports) {
    for await (const rec of lines(file)) {
      if (rec['type'] !== 'header') break;
      Object.assign(headerKeys, rec['publicKeys'] as Record<string, string>);
      const s = rec['start'] as { seq: number; hash: string } | undefined;
      if (s && !start[String(rec['marketId'])]) start[String(rec['marketId'])] = s;
      break;
    }
  }
  const pem = opts.publicKeys ?? headerKeys;
  if (!opts.publicKeys) warnings.push('using the public keys inside the export; pass the platform key from a trusted source with --public-key');
  if (!opts.receipts?.length) warnings.push('no receipts given: a ledger recomputed and re-sealed by someone holding the key would not be detected');
  const publicKeys: Record<string, KeyObject> = Object.fromEntries(Object.entries(pem).map(([id, p]) => [id, publicKeyFromPem(p)]));
  const v = new LedgerVerifier({ publicKeys, requireReceipts: Boolean(opts.receipts?.length), start });
  for (const file of opts.exports) {
    for await (const rec of lines(file)) {
      const { type, ...rest } = rec;
      if (type === 'entry') v.addEntry(rest as unknown as LedgerEntry);
      else if (type === 'seal') v.addSeal(rest as unknown as LedgerSeal);
    }
  }
  for (const file of opts.receipts ?? []) {
    for await (const rec of lines(file)) {
      if (rec['type'] === 'receipt') v.addReceipt(rec as unknown as LedgerReceipt);
    }
  }
  return { ...v.finish(), warnings };
}
