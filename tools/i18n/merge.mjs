#!/usr/bin/env node
/**
 * The console's translations, one file per language (issue 11 §4): the app's own keys
 * (apps/console/src/i18n/<lang>.json: shell, sign-in, roles, problems, shared words) merged with each
 * context's (libs/console/<ctx>/i18n/<lang>.json) into dist/i18n/console/<lang>.json, which the console
 * build serves at /i18n/<lang>.json. Fails — and so fails the build — when two files define the same key,
 * or when a key is in one language and not the other.
 *   node tools/i18n/merge.mjs [--check]   (--check: validate only, write nothing)
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const LANGS = ['zh-CN', 'en'];
const OUT = join(root, 'dist/i18n/console');

const sources = (lang) => [
  join(root, 'apps/console/src/i18n', `${lang}.json`),
  ...readdirSync(join(root, 'libs/console'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => join(root, 'libs/console', d.name, 'i18n', `${lang}.json`))
    .filter((f) => existsSync(f)),
];

/** Leaf keys as dotted paths, for the parity check. */
function leaves(o, prefix = '', out = new Set()) {
  for (const [k, v] of Object.entries(o)) {
    if (v && typeof v === 'object') leaves(v, `${prefix}${k}.`, out);
    else out.add(`${prefix}${k}`);
  }
  return out;
}

function mergeInto(target, src, file, owners, prefix = '') {
  for (const [k, v] of Object.entries(src)) {
    const key = `${prefix}${k}`;
    if (v && typeof v === 'object') {
      if (target[k] !== undefined && (typeof target[k] !== 'object' || target[k] === null)) throw new Error(`${key}: a string in ${owners.get(key)} and an object in ${file}`);
      target[k] ??= {};
      mergeInto(target[k], v, file, owners, `${key}.`);
    } else {
      if (target[k] !== undefined) throw new Error(`${key} is defined in both ${owners.get(key)} and ${file}`);
      target[k] = v;
      owners.set(key, file);
    }
  }
}

const merged = {};
for (const lang of LANGS) {
  const out = {};
  const owners = new Map();
  for (const f of sources(lang)) mergeInto(out, JSON.parse(readFileSync(f, 'utf8')), relative(root, f), owners);
  merged[lang] = out;
}
const [a, b] = LANGS.map((l) => leaves(merged[l]));
const onlyA = [...a].filter((k) => !b.has(k));
const onlyB = [...b].filter((k) => !a.has(k));
if (onlyA.length || onlyB.length) {
  throw new Error(`translations differ: only in ${LANGS[0]}: ${onlyA.join(', ') || '-'}; only in ${LANGS[1]}: ${onlyB.join(', ') || '-'}`);
}
if (!process.argv.includes('--check')) {
  mkdirSync(OUT, { recursive: true });
  for (const lang of LANGS) writeFileSync(join(OUT, `${lang}.json`), JSON.stringify(merged[lang]));
  console.log(`i18n: ${a.size} keys × ${LANGS.length} languages → ${relative(root, OUT)}`);
}
