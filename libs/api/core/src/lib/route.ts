import { applyDecorators, createParamDecorator, SetMetadata, type ExecutionContext, HttpCode } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { z } from 'zod';

/** Any zod schema, the full API's or zod/mini's (libs/domain light-input.ts). */
type ZodType = z.core.$ZodType;
import type { Action, Actor, SubjectName } from '@linggong/domain';

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
  status?: number;
}

function jsonSchema(schema: ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

/** One decorator per route: OpenAPI operation (stable operationId `<context>_<action>`), permission, schemas. */
export function Route(spec: RouteSpec): MethodDecorator {
  const decorators: (MethodDecorator | ClassDecorator)[] = [
    ApiOperation({ operationId: spec.operationId, summary: spec.summary }),
    SetMetadata(PERMISSION_KEY, spec.permission),
    ApiResponse({ status: 400, description: 'application/problem+json: validation errors with field messages' }),
  ];
  if (spec.permission !== 'public') {
    decorators.push(ApiResponse({ status: 401, description: 'Not signed in' }), ApiResponse({ status: 403, description: 'Not allowed' }));
  }
  if (spec.status) decorators.push(HttpCode(spec.status));
  if (spec.body) decorators.push(ApiBody({ schema: jsonSchema(spec.body) }));
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
