#!/usr/bin/env node
/**
 * The success-answer schemas of every API operation (issue 18 §5), from the TypeScript types the controllers
 * return (the services' view types, `Promise<T>` unwrapped), written to apps/api/src/app/openapi-views.generated.ts:
 * `{ operations: { <operationId>: schema }, schemas: { <ViewName>: schema } }` (JSON Schema 2020-12, as OpenAPI 3.1
 * takes it). A route that declares a zod `response` in its `@Route` uses that instead; a route that writes its own
 * answer (`@Res()`, a download) is left to its `produces`. `node tools/openapi/views.mjs --check` fails when the
 * file is not what the code gives (tests/api/openapi.e2e-spec.ts runs it).
 */
import { readFileSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const ROOT = join(import.meta.dirname, '../..');
const OUT = join(ROOT, 'apps/api/src/app/openapi-views.generated.ts');
const files = (dir) => readdirSync(dir).flatMap((n) => {
  const p = join(dir, n);
  return statSync(p).isDirectory() ? files(p) : p.endsWith('.controller.ts') ? [p] : [];
});
const roots = [...files(join(ROOT, 'libs/api')), ...files(join(ROOT, 'apps/api/src'))].sort();
const base = ts.readConfigFile(join(ROOT, 'tsconfig.base.json'), ts.sys.readFile).config;
const opts = ts.convertCompilerOptionsFromJson({ ...base.compilerOptions, noEmit: true }, ROOT).options;
opts.baseUrl = ROOT;
const program = ts.createProgram(roots, opts);
const checker = program.getTypeChecker();

const schemas = {};
const named = new Map(); // ts.Type → component name
const operations = {};

function nameOf(type) {
  const sym = type.aliasSymbol ?? type.getSymbol();
  if (!sym) return null;
  const n = sym.getName();
  if (!n || n.startsWith('__') || ['Array', 'ReadonlyArray', 'Promise', 'Date', 'Record', 'Partial', 'Pick', 'Omit', 'Map', 'Set', 'Buffer', 'Uint8Array'].includes(n)) return null;
  const decl = sym.declarations?.[0];
  if (!decl || !decl.getSourceFile().fileName.startsWith(join(ROOT, 'libs'))) return null;
  if (type.aliasTypeArguments?.length || (type.typeArguments?.length)) return null;
  return n.replace(/[^A-Za-z0-9_]/g, '_');
}

function schemaOf(type, depth = 0) {
  if (depth > 12) return {};
  const f = type.flags;
  if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return {};
  if (f & ts.TypeFlags.Never) return { not: {} };
  if (f & ts.TypeFlags.StringLiteral) return { type: 'string', const: type.value };
  if (f & ts.TypeFlags.NumberLiteral) return { type: 'number', const: type.value };
  if (f & ts.TypeFlags.BooleanLiteral) return { type: 'boolean', const: type.intrinsicName === 'true' };
  if (f & (ts.TypeFlags.String | ts.TypeFlags.TemplateLiteral)) return { type: 'string' };
  if (f & ts.TypeFlags.Number) return { type: 'number' };
  if (f & ts.TypeFlags.BigInt) return { type: 'string' };
  if (f & ts.TypeFlags.Boolean) return { type: 'boolean' };
  if (f & ts.TypeFlags.Null) return { type: 'null' };
  if (f & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)) return { type: 'null' };
  if (type.isUnion()) {
    const parts = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)));
    const nullable = parts.some((t) => t.flags & ts.TypeFlags.Null);
    const rest = parts.filter((t) => !(t.flags & ts.TypeFlags.Null));
    let s;
    if (rest.length && rest.every((t) => t.flags & ts.TypeFlags.StringLiteral)) s = { type: 'string', enum: rest.map((t) => t.value) };
    else if (rest.length && rest.every((t) => t.flags & ts.TypeFlags.BooleanLiteral)) s = { type: 'boolean' };
    else if (rest.length && rest.every((t) => t.flags & ts.TypeFlags.NumberLiteral)) s = { type: 'number', enum: rest.map((t) => t.value) };
    else if (rest.length === 1) s = schemaOf(rest[0], depth + 1);
    else s = { anyOf: rest.map((t) => schemaOf(t, depth + 1)) };
    if (!nullable) return s;
    if (s.type && typeof s.type === 'string' && !s.const) return { ...s, type: [s.type, 'null'], ...(s.enum ? { enum: [...s.enum, null] } : {}) };
    return { anyOf: [s, { type: 'null' }] };
  }
  const sym = type.getSymbol();
  const symName = sym?.getName();
  if (symName === 'Date') return { type: 'string', format: 'date-time' };
  if (symName === 'Buffer' || symName === 'Uint8Array') return { type: 'string', contentEncoding: 'base64' };
  if (checker.isArrayType(type) || checker.isTupleType(type)) {
    const args = checker.getTypeArguments(type);
    if (checker.isTupleType(type)) {
      const items = args.map((a) => schemaOf(a, depth + 1));
      const same = items.every((i) => JSON.stringify(i) === JSON.stringify(items[0]));
      return { type: 'array', items: same ? (items[0] ?? {}) : { anyOf: items }, minItems: args.length, maxItems: args.length };
    }
    return { type: 'array', items: args[0] ? schemaOf(args[0], depth + 1) : {} };
  }
  if (symName === 'Map' || symName === 'Set') return {};
  if (type.isIntersection() || f & ts.TypeFlags.Object) {
    const name = nameOf(type);
    if (name) {
      if (!named.has(type)) {
        let n = name;
        for (let i = 2; Object.values(Object.fromEntries(named)).includes(n) || [...named.values()].includes(n); i++) n = `${name}${i}`;
        named.set(type, n);
        schemas[n] = {};
        schemas[n] = objectSchema(type, depth);
      }
      return { $ref: `#/components/schemas/${named.get(type)}` };
    }
    return objectSchema(type, depth);
  }
  return {};
}

function objectSchema(type, depth) {
  const properties = {};
  const required = [];
  for (const p of checker.getPropertiesOfType(type)) {
    const decl = p.valueDeclaration ?? p.declarations?.[0];
    if (!decl) continue;
    // A unique-symbol key (`__@name@1234`): no JSON property, and its number moves whenever any source changes.
    if (p.getName().startsWith('__@')) continue;
    const pt = checker.getTypeOfSymbolAtLocation(p, decl);
    if (pt.getCallSignatures().length) continue;
    properties[p.getName()] = schemaOf(pt, depth + 1);
    const optional = (p.flags & ts.SymbolFlags.Optional) !== 0;
    if (!optional) required.push(p.getName());
  }
  const s = { type: 'object', properties };
  if (required.length) s.required = required;
  const index = checker.getIndexTypeOfType(type, ts.IndexKind.String);
  if (index) s.additionalProperties = schemaOf(index, depth + 1);
  return s;
}

function routeOf(method) {
  for (const d of ts.getDecorators(method) ?? []) {
    const e = d.expression;
    if (!ts.isCallExpression(e) || e.expression.getText() !== 'Route') continue;
    const arg = e.arguments[0];
    if (!arg || !ts.isObjectLiteralExpression(arg)) continue;
    const get = (k) => arg.properties.find((p) => ts.isPropertyAssignment(p) && p.name.getText() === k);
    const id = get('operationId');
    return { operationId: id && ts.isStringLiteral(id.initializer) ? id.initializer.text : null, zod: !!get('response'), produces: !!get('produces') };
  }
  return null;
}

for (const file of roots) {
  const sf = program.getSourceFile(file);
  ts.forEachChild(sf, function visit(node) {
    if (ts.isClassDeclaration(node)) {
      for (const m of node.members) {
        if (!ts.isMethodDeclaration(m)) continue;
        const r = routeOf(m);
        if (!r?.operationId || r.zod || r.produces) continue;
        // A route that writes its own answer declares `produces`; one that only sets headers (`passthrough`) returns its body.
        if (m.parameters.some((p) => (ts.getDecorators(p) ?? []).some((d) => /^Res\((?!\{ passthrough: true \})/.test(d.expression.getText())))) continue;
        const sig = checker.getSignatureFromDeclaration(m);
        let t = checker.getReturnTypeOfSignature(sig);
        const awaited = checker.getAwaitedType(t);
        if (awaited) t = awaited;
        operations[r.operationId] = schemaOf(t);
      }
    }
    ts.forEachChild(node, visit);
  });
}

const sorted = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
const text = `// Generated by tools/openapi/views.mjs from the controllers' return types — do not edit; run \`node tools/openapi/views.mjs\`.
/* eslint-disable */
export const OPENAPI_VIEWS: { operations: Record<string, Record<string, unknown>>; schemas: Record<string, Record<string, unknown>> } = ${JSON.stringify({ operations: sorted(operations), schemas: sorted(schemas) }, null, 1)};
`;
if (process.argv.includes('--check')) {
  const now = (() => { try { return readFileSync(OUT, 'utf8'); } catch { return ''; } })();
  if (now !== text) {
    console.error(`${relative(ROOT, OUT)} is out of date: run node tools/openapi/views.mjs`);
    process.exit(1);
  }
  console.log(`${Object.keys(operations).length} operations, ${Object.keys(schemas).length} schemas: up to date`);
} else {
  writeFileSync(OUT, text);
  console.log(`${Object.keys(operations).length} operations, ${Object.keys(schemas).length} schemas → ${relative(ROOT, OUT)}`);
}
