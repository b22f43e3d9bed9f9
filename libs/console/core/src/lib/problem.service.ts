import { Injectable, inject } from '@angular/core';
import type { AbstractControl } from '@angular/forms';
import { NzMessageService } from 'ng-zorro-antd/message';
import type { z } from 'zod';
import type { Problem } from '@linggong/domain/light';
import { msg, zodErrorMap } from '@linggong/domain/messages';
import { problemOf } from './problem-of';
import { LangService } from './i18n/lang.service';

/** A schema of the full zod API or of zod/mini (libs/domain light-input.ts): both parse with `.safeParse`. */
export type FormSchema = z.core.$ZodType & {
  safeParse(data: unknown, params?: z.core.ParseContext<z.core.$ZodIssue>): { success: boolean; data?: unknown; error?: { issues: z.core.$ZodIssue[] } };
};

/** A field error from our validation or the server, shown by `fieldError()` under the control. */
export const FIELD_ERROR = 'lg';

/**
 * Turns API problems (application/problem+json, already localised by Accept-Language) and zod
 * issues into ng-zorro messages and per-field errors, so both paths look the same to the user.
 */
@Injectable({ providedIn: 'root' })
export class ProblemService {
  private readonly message = inject(NzMessageService);
  private readonly lang = inject(LangService);

  toProblem(err: unknown): Problem {
    return problemOf(err, (key, params) => this.lang.t(key, params));
  }

  /** Show the problem; put its field errors on the form's controls when a form is given. */
  handle(err: unknown, form?: AbstractControl): Problem {
    const problem = this.toProblem(err);
    const unplaced: string[] = [];
    for (const e of problem.errors ?? []) {
      if (!form || !setFieldError(form, e.field, e.message)) unplaced.push(e.message);
    }
    // The detail already says what the field errors say (the API joins them into it): each once.
    const head = problem.detail ?? problem.title;
    const text = [head, ...unplaced.filter((m) => !head?.includes(m))].filter(Boolean).join('；');
    this.message.error(text, { nzDuration: 5000 });
    return problem;
  }

  /**
   * Validate with a shared zod schema before sending. Returns the parsed value, or null after
   * marking the offending controls. Schema messages are MESSAGES keys (libs/domain i18n.ts).
   */
  validate<S extends FormSchema>(schema: S, value: unknown, form: AbstractControl): z.output<S> | null {
    const lang = this.lang.lang();
    const result = schema.safeParse(value, { error: zodErrorMap(lang) });
    if (result.success) return result.data as z.output<S>;
    const unplaced: string[] = [];
    for (const issue of result.error?.issues ?? []) {
      const text = msg(lang, issue.message);
      if (!setFieldError(form, issue.path.join('.'), text)) unplaced.push(text);
    }
    this.message.warning(unplaced.length ? unplaced.join('；') : this.lang.t('problem.checkForm'));
    return null;
  }
}

/** Put an error on the control at `path` ('contacts.0.name'), or on its nearest existing parent. */
export function setFieldError(form: AbstractControl, path: string, message: string): boolean {
  const parts = path.split('.').filter(Boolean);
  while (parts.length) {
    const control = form.get(parts.join('.'));
    if (control) {
      control.setErrors({ ...(control.errors ?? {}), [FIELD_ERROR]: message });
      control.markAsDirty();
      control.markAsTouched();
      return true;
    }
    parts.pop();
  }
  return false;
}

/** The message to show under a control (nzErrorTip). */
export function fieldError(control: AbstractControl | null): string {
  const errors = control?.errors;
  if (!errors) return '';
  return String(errors[FIELD_ERROR] ?? Object.values(errors)[0] ?? '');
}

/** Drop empty strings and nulls so optional fields are left out rather than sent as ''. */
export function compact<T extends Record<string, unknown>>(value: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === '' || v === null || v === undefined) continue;
    out[k] = typeof v === 'string' ? v.trim() : v;
  }
  return out as Partial<T>;
}
