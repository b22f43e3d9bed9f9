import { applyDecorators, createParamDecorator, SetMetadata, type ExecutionContext, HttpCode } from '@nestjs/common';
import { ApiBody, ApiExtension, ApiOperation, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { z } from 'zod';

/** Any zod schema, the full API's or zod/mini's (libs/domain light-input.ts). */
type ZodType = z.core.$ZodType;
import type { Action, Actor, SubjectName } from '@linggong/domain';
import { PRODUCES_EXTENSION, STATUS_EXTENSION } from './openapi';

export const PERMISSION_KEY = 'lg:permission';
/**
 * What a route requires. Every route declares one (the guard refuses undeclared routes, and a test
 * snapshots the table): a coarse CASL permission, 'authenticated' for any signed-in user, or 'public'.
 */
export type Permission = readonly [Action, SubjectName] | 'public' | 'authenticated';

export interface RouteSpec {
  operationId: string;
  summary: string;
  permission: Permission;
  body?: ZodType;
  query?: ZodType;
  /**
   * The success answer's schema (issue 18 §5): the zod view the service returns. `configureHttp` puts it on the
   * operation's 2xx response in the OpenAPI document.
   */
  response?: ZodType;
  /** A longer description for the OpenAPI document; the summary is used when absent. */
  description?: string;
  /** A route that writes its own answer (a download): its media types, comma-separated, for the OpenAPI document. */
  produces?: string;
  status?: number;
}

/** The schema of a paged list answer `{ items, total, page, pageSize }` (DESIGN.md "Lists"). */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
}

/** The OpenAPI extension that carries a route's success schema until `configureHttp` moves it to its 2xx response. */
export const RESPONSE_EXTENSION = 'x-lg-response';

function jsonSchema(schema: ZodType, io: 'input' | 'output' = 'input'): Record<string, unknown> {
  return z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
}

/** One decorator per route: OpenAPI operation (stable operationId `<context>_<action>`), permission, schemas. */
export function Route(spec: RouteSpec): MethodDecorator {
  const decorators: (MethodDecorator | ClassDecorator)[] = [
    ApiOperation({ operationId: spec.operationId, summary: spec.summary, description: spec.description ?? spec.summary }),
    SetMetadata(PERMISSION_KEY, spec.permission),
    ApiResponse({ status: 400, description: 'application/problem+json: validation errors with field messages' }),
  ];
  if (spec.permission !== 'public') {
    decorators.push(ApiResponse({ status: 401, description: 'Not signed in' }), ApiResponse({ status: 403, description: 'Not allowed' }));
  }
  if (spec.status) decorators.push(HttpCode(spec.status), ApiExtension(STATUS_EXTENSION, spec.status));
  if (spec.produces) decorators.push(ApiExtension(PRODUCES_EXTENSION, spec.produces));
  if (spec.body) decorators.push(ApiBody({ schema: jsonSchema(spec.body) }));
  if (spec.response) decorators.push(ApiExtension(RESPONSE_EXTENSION, jsonSchema(spec.response, 'output')));
  if (spec.query) {
    const js = jsonSchema(spec.query) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
    for (const [name, schema] of Object.entries(js.properties ?? {})) {
      decorators.push(ApiQuery({ name, required: js.required?.includes(name) ?? false, schema }));
    }
  }
  return applyDecorators(...decorators) as MethodDecorator;
}

/** The acting user, set by the auth guard. The first argument of every service method. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const req = ctx.switchToHttp().getRequest<{ actor?: Actor }>();
  if (!req.actor) throw new Error('CurrentActor used on a route without authentication');
  return req.actor;
});
