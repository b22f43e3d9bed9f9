import { Injectable, type PipeTransform } from '@nestjs/common';
import { z } from 'zod';

/** Any zod schema: the full API's or zod/mini's (the light schemas of libs/domain light-input.ts). */
type ZodType = z.core.$ZodType;
import { findControlChars } from '@linggong/domain';
import { ValidationProblem, ProblemException } from './problem';
import { UUID_RE } from './ids';

/** Validates body or query with a shared schema from @linggong/domain; unknown fields are refused by strict schemas. */
@Injectable()
export class ZodPipe<T extends ZodType> implements PipeTransform {
  constructor(private readonly schema: T, private readonly location: 'body' | 'query' = 'body') {}
  transform(value: unknown) {
    // Backstop for any string a schema lets through untyped: no C0 control character but line feed
    // and tab ever reaches a service (PostgreSQL refuses NUL in text and jsonb; issue 12, finding 9).
    const bad = findControlChars(value);
    if (bad) throw new ProblemException(400, 'validation_failed', [{ field: bad.join('.') || this.location, key: 'text_control_chars' }]);
    const r = z.safeParse(this.schema, value ?? (this.location === 'body' ? undefined : {}));
    if (!r.success) throw new ValidationProblem(this.schema, value, this.location);
    return r.data;
  }
}

/** A malformed id cannot name any row: answer 404 like a missing one. */
@Injectable()
export class IdPipe implements PipeTransform {
  transform(value: string) {
    if (typeof value !== 'string' || !UUID_RE.test(value)) throw new ProblemException(404, 'not_found');
    return value.toLowerCase();
  }
}
