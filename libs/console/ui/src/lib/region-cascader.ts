import { ChangeDetectionStrategy, Component, forwardRef, inject, input, signal } from '@angular/core';
import { FormsModule, NG_VALUE_ACCESSOR, type ControlValueAccessor } from '@angular/forms';
import { NzCascaderModule, type NzCascaderOption } from 'ng-zorro-antd/cascader';
import { firstValueFrom } from 'rxjs';
import { regionAncestors } from '@linggong/domain';
import { RegionsService } from '@linggong/console-core';

/**
 * Picks a GB/T 2260 region (province → city → county), loading each level on demand.
 * The form value is the deepest code chosen ('410102'); `depth="county"` requires a county.
 */
@Component({
  selector: 'lg-region-cascader',
  imports: [FormsModule, NzCascaderModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  providers: [{ provide: NG_VALUE_ACCESSOR, useExisting: forwardRef(() => RegionCascader), multi: true }],
  template: `
    <nz-cascader
      [ngModel]="path()"
      (ngModelChange)="onChange($event)"
      [nzLoadData]="load"
      [nzChangeOnSelect]="depth() === 'any'"
      [nzPlaceHolder]="placeholder()"
      [nzDisabled]="disabled()"
      nzAllowClear
      [attr.data-testid]="testId()"
    ></nz-cascader>
  `,
  styles: [':host { display: block; min-width: 200px; } nz-cascader { width: 100%; }'],
})
export class RegionCascader implements ControlValueAccessor {
  private readonly regions = inject(RegionsService);
  readonly depth = input<'any' | 'county'>('any');
  readonly placeholder = input('');
  readonly testId = input<string | null>(null);
  protected readonly path = signal<string[]>([]);
  protected readonly disabled = signal(false);
  private changed: (v: string | null) => void = () => undefined;
  private touched: () => void = () => undefined;

  protected readonly load = (option: NzCascaderOption, index: number): Promise<void> =>
    firstValueFrom(this.regions.children(index < 0 ? undefined : (option['value'] as string))).then((rows) => {
      option.children = rows.map((r) => ({ value: r.code, label: r.name, isLeaf: r.level === 'county' }));
    });

  writeValue(code: string | null): void {
    this.path.set(code ? regionAncestors(code) : []);
  }
  registerOnChange(fn: (v: string | null) => void): void {
    this.changed = fn;
  }
  registerOnTouched(fn: () => void): void {
    this.touched = fn;
  }
  setDisabledState(disabled: boolean): void {
    this.disabled.set(disabled);
  }
  protected onChange(path: string[] | null): void {
    this.path.set(path ?? []);
    this.changed(path?.length ? path[path.length - 1] : null);
    this.touched();
  }
}
