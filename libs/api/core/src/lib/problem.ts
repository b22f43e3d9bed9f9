import type { z } from 'zod';

type ZodType = z.core.$ZodType;

/**
 * An error meant for the caller: an HTTP status and a message key from @linggong/domain MESSAGES,
 * localised by the exception filter (DESIGN.md "Errors").
 */
export class ProblemException extends Error {
  constructor(
    readonly status: number,
    readonly key: string,
    readonly errors?: { field: string; key: string; params?: Record<string, string | number> }[],
    readonly headers?: Record<string, string>,
    /** Extension members of the problem (RFC 9457 §3.2), e.g. the legal basis of a compliance refusal. */
    readonly extensions?: Record<string, unknown>,
  ) {
    super(key);
  }
}

/** Input that failed a schema. The filter re-parses with the caller's language to word the messages. */
export class ValidationProblem extends Error {
  constructor(readonly schema: ZodType, readonly input: unknown, readonly location: 'body' | 'query' | 'params') {
    super('validation_failed');
  }
}

export const notFound = () => new ProblemException(404, 'not_found');
export const forbidden = (key = 'forbidden') => new ProblemException(403, key);
export const conflict = (key = 'conflict', field?: string) =>
  new ProblemException(409, key, field ? [{ field, key }] : undefined);
export const unprocessable = (key: string, field: string) => new ProblemException(422, 'validation_failed', [{ field, key }]);
