import { Pipe, inject, type PipeTransform } from '@angular/core';
import type { Action, SubjectName, TaggedSubject } from '@linggong/domain/light';
import { AuthService } from './auth.service';

/**
 * `@if ('create' | can: 'Market')` — shows only what the user may do. Impure so a new session's
 * rules (signal) are picked up; the check itself is cheap.
 */
@Pipe({ name: 'can', pure: false })
export class CanPipe implements PipeTransform {
  private readonly auth = inject(AuthService);
  transform(action: Action, subject: SubjectName | TaggedSubject): boolean {
    return this.auth.can(action, subject);
  }
}
