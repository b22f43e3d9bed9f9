import { inject, signal, type WritableSignal } from '@angular/core';
import type { AbstractControl } from '@angular/forms';
import type { Observable } from 'rxjs';
import { NzMessageService } from 'ng-zorro-antd/message';
import { ProblemService } from '@linggong/console-core';

export interface FormDialogOptions<R> {
  /** The form whose controls get the API's field errors (problem details `errors[].field`). */
  form: AbstractControl;
  /** Send the form; return null to stay open (e.g. client validation marked the form). */
  submit: () => Observable<R> | null;
  /** The success message (already translated); none when it returns null. */
  success?: (result: R) => string | null;
  /** After success and close, e.g. `list.reload()`. */
  saved?: (result: R) => void;
}

export interface FormDialog {
  readonly open: WritableSignal<boolean>;
  readonly saving: WritableSignal<boolean>;
  /** Open, after resetting the form to `value` when given. */
  show(value?: unknown): void;
  close(): void;
  /** Submit; on success show the message, close and call `saved`; on a problem put its field errors on the form. */
  save(): void;
}

/** The modal-form shell every list page had by hand: open/saving flags and one `save()` (call in an injection context). */
export function formDialog<R>(options: FormDialogOptions<R>): FormDialog {
  const problems = inject(ProblemService);
  const message = inject(NzMessageService);
  const open = signal(false);
  const saving = signal(false);
  return {
    open,
    saving,
    show: (value?: unknown) => {
      if (value !== undefined) options.form.reset(value);
      open.set(true);
    },
    close: () => open.set(false),
    save: () => {
      if (saving()) return;
      const request = options.submit();
      if (!request) return;
      saving.set(true);
      request.subscribe({
        next: (result) => {
          saving.set(false);
          open.set(false);
          const text = options.success?.(result);
          if (text) message.success(text);
          options.saved?.(result);
        },
        error: (e: unknown) => {
          saving.set(false);
          problems.handle(e, options.form);
        },
      });
    },
  };
}
