/**
 * The OpenAPI document as clients and generators read it (issue 18 §5). Nest's swagger module writes an OpenAPI
 * 3.0 document whose schemas come from zod as JSON Schema 2020-12; `finishOpenApi` makes it one consistent OpenAPI
 * 3.1 document (3.1's Schema Object is JSON Schema 2020-12): `$schema` dropped, each schema's `$defs` moved into
 * `components.schemas` (their `$ref`s rewritten), every operation with its success answer (the route's zod
 * `response`, else the controller's return type from apps/api's generated views, else its `produces` media type),
 * a description, a defined tag, problem+json errors and the platforms' signature scheme. Spectral's OAS ruleset
 * passes on it (tests/api/openapi.e2e-spec.ts).
 */
type Json = Record<string, unknown>;
export interface OpenApiViews { operations: Record<string, Json>; schemas: Record<string, Json> }

export const STATUS_EXTENSION = 'x-lg-status';
export const PRODUCES_EXTENSION = 'x-lg-produces';
const RESPONSE_EXTENSION = 'x-lg-response';
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/** What each tag (a context, or a part of one) holds: the document's tag list. */
const TAGS: Record<string, string> = {
  auth: 'Sign-in, second factor, sessions', tenancy: 'Regions, organisations, users', markets: 'The market registry and the home overview',
  audit: 'The audit trail', ledger: 'The work log: entries, corrections, daily close, verification, export', registry: 'Workers and employers',
  jobs: '即时快招: posts, queue, matching, hires, 日结', public: 'Sign-in-free public pages', complaints: 'Complaints and reports',
  tools: 'Tool rental', training: 'Training', events: 'Events: fairs, night markets, caravans, live streams', assistance: 'Assistance and service records',
  analytics: 'Figures from the sealed work log', reports: 'Monthly supply–demand reports and the public release', directory: 'The market directory',
  oversight: 'Call-back samples, inspections, rectification', assessment: 'Contracts, assessments, subsidy statements',
  platforms: 'Registering third-party platforms (R-E8)', connect: 'The signed interface third-party platforms call (docs/api.md)',
  feed: 'The province feed: directory, open posts, monthly release', ops: 'Health, readiness', overview: 'Home page to-dos and overview',
};

export function finishOpenApi(doc: Json, views: OpenApiViews = { operations: {}, schemas: {} }): Json {
  doc['openapi'] = '3.1.0';
  const components = (doc['components'] ??= {}) as Json;
  const schemas = (components['schemas'] ??= {}) as Record<string, Json>;
  Object.assign(schemas, views.schemas);
  schemas['Problem'] = {
    type: 'object', description: 'application/problem+json (RFC 9457), in the caller\'s Accept-Language',
    properties: {
      type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' }, requestId: { type: 'string' },
      errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } }, required: ['field', 'message'] } },
    },
    required: ['type', 'title', 'status'],
  };
  const security = (components['securitySchemes'] ??= {}) as Json;
  security['platformSignature'] = {
    type: 'apiKey', in: 'header', name: 'X-Linggong-Signature',
    description: 'HMAC-SHA256 of "timestamp\\nnonce\\nMETHOD\\npath\\nraw body" with the platform\'s secret, with X-Linggong-Key, X-Linggong-Timestamp and X-Linggong-Nonce (docs/api.md)',
  };
  if (!Array.isArray(doc['servers']) || !(doc['servers'] as unknown[]).length) doc['servers'] = [{ url: '/', description: 'This server' }];
  const used = new Set<string>();
  for (const [path, item] of Object.entries((doc['paths'] ?? {}) as Record<string, Json>)) {
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      const id = String(op['operationId'] ?? `${method}_${path}`);
      if (!Array.isArray(op['tags']) || !(op['tags'] as unknown[]).length) op['tags'] = [id.split('_')[0]];
      for (const t of op['tags'] as string[]) used.add(t);
      op['description'] ??= op['summary'] ?? id;
      const status = String(op[STATUS_EXTENSION] ?? (method === 'post' ? 201 : 200));
      const produces = op[PRODUCES_EXTENSION] as string | undefined;
      const schema = (op[RESPONSE_EXTENSION] as Json | undefined) ?? views.operations[id];
      delete op[STATUS_EXTENSION];
      delete op[PRODUCES_EXTENSION];
      delete op[RESPONSE_EXTENSION];
      const responses = (op['responses'] ??= {}) as Record<string, Json>;
      const content: Json | undefined = status === '204' ? undefined : produces
        ? Object.fromEntries(produces.split(',').map((m) => [m.trim(), { schema: m.includes('json') ? {} : { type: 'string', contentMediaType: m.trim() } }]))
        : { 'application/json': { schema: schema ?? {} } };
      responses[status] = { ...(responses[status] ?? {}), description: String((responses[status] as Json | undefined)?.['description'] || op['summary'] || 'Success'), ...(content ? { content } : {}) };
      for (const [code, r] of Object.entries(responses)) {
        if (code.startsWith('4') || code.startsWith('5')) r['content'] ??= { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
        r['description'] ||= code;
      }
    }
  }
  doc['tags'] = [...used].sort().map((name) => ({ name, description: TAGS[name] ?? `The ${name} context` }));
  // JSON Schema as OpenAPI 3.1 takes it: no `$schema`, `$defs` hoisted into the components.
  let n = 0;
  const hoist = (node: unknown, defs: Map<string, string>): unknown => {
    if (Array.isArray(node)) return node.map((x) => hoist(x, defs));
    if (!node || typeof node !== 'object') return node;
    const o = { ...(node as Json) };
    delete o['$schema'];
    if (o['$defs'] && typeof o['$defs'] === 'object') {
      const local = new Map(defs);
      const entries = Object.entries(o['$defs'] as Json);
      for (const [k] of entries) local.set(k, `Def${++n}`);
      for (const [k, v] of entries) schemas[local.get(k) as string] = hoist(v, local) as Json;
      delete o['$defs'];
      defs = local;
    }
    if (typeof o['$ref'] === 'string' && (o['$ref'] as string).startsWith('#/$defs/')) {
      const name = defs.get((o['$ref'] as string).slice('#/$defs/'.length));
      if (name) o['$ref'] = `#/components/schemas/${name}`;
    }
    // `#` alone is zod's self-reference to the root of the schema it made: left as any.
    if (o['$ref'] === '#') delete o['$ref'];
    for (const [k, v] of Object.entries(o)) if (v && typeof v === 'object') o[k] = hoist(v, defs);
    return o;
  };
  doc['paths'] = hoist(doc['paths'], new Map());
  components['schemas'] = hoist(schemas, new Map());
  return doc;
}
