import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NZ_MODAL_DATA, NzModalRef } from 'ng-zorro-antd/modal';
import { ORG_KINDS, createOrganisationSchema, updateOrganisationSchema, type OrgKind, type OrganisationView } from '@linggong/domain';
import { LangService, OrganisationsService, ProblemService, compact, fieldError } from '@linggong/console-core';
import { RegionCascader } from '@linggong/console-ui';

/** Create (platform admin) or edit an organisation; opened in a modal with the row as data. */
@Component({
  selector: 'lg-organisation-form',
  imports: [ReactiveFormsModule, TranslocoPipe, RegionCascader, NzFormModule, NzInputModule, NzSelectModule, NzButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form nz-form nzLayout="vertical" [formGroup]="form" (ngSubmit)="submit()" data-testid="organisation-form">
      @if (!org) {
        <nz-form-item>
          <nz-form-label nzRequired>{{ 'org.kind' | transloco }}</nz-form-label>
          <nz-form-control [nzErrorTip]="err('kind')">
            <nz-select formControlName="kind" data-testid="org-kind">
              @for (k of kinds; track k) { <nz-option [nzValue]="k" [nzLabel]="'orgKind.' + k | transloco" /> }
            </nz-select>
          </nz-form-control>
        </nz-form-item>
      }
      <nz-form-item>
        <nz-form-label nzRequired>{{ 'org.name' | transloco }}</nz-form-label>
        <nz-form-control [nzErrorTip]="err('name')">
          <input nz-input formControlName="name" data-testid="org-name" />
        </nz-form-control>
      </nz-form-item>
      @if (!org) {
        <nz-form-item>
          <nz-form-label nzRequired>{{ 'org.region' | transloco }}</nz-form-label>
          <nz-form-control [nzErrorTip]="err('regionCode')" [nzExtra]="'org.regionHint' | transloco">
            <lg-region-cascader formControlName="regionCode" testId="org-region" />
          </nz-form-control>
        </nz-form-item>
        <nz-form-item>
          <nz-form-label>{{ 'org.creditCode' | transloco }}</nz-form-label>
          <nz-form-control [nzErrorTip]="err('creditCode')">
            <input nz-input formControlName="creditCode" maxlength="18" />
          </nz-form-control>
        </nz-form-item>
      }
      <nz-form-item>
        <nz-form-label>{{ 'org.contactName' | transloco }}</nz-form-label>
        <nz-form-control [nzErrorTip]="err('contactName')">
          <input nz-input formControlName="contactName" />
        </nz-form-control>
      </nz-form-item>
      <nz-form-item>
        <nz-form-label>{{ 'org.contactPhone' | transloco }}</nz-form-label>
        <nz-form-control [nzErrorTip]="err('contactPhone')">
          <input nz-input formControlName="contactPhone" maxlength="11" [placeholder]="keepHint()" />
        </nz-form-control>
      </nz-form-item>
      <div class="actions">
        <button nz-button type="button" (click)="ref.close()">{{ 'common.cancel' | transloco }}</button>
        <button nz-button nzType="primary" type="submit" [nzLoading]="saving()" data-testid="org-submit">{{ 'common.save' | transloco }}</button>
      </div>
    </form>
  `,
  styles: ['.actions { display: flex; justify-content: flex-end; gap: 8px; }'],
})
export class OrganisationForm {
  protected readonly ref = inject(NzModalRef);
  protected readonly org = inject<OrganisationView | null>(NZ_MODAL_DATA, { optional: true });
  private readonly orgs = inject(OrganisationsService);
  private readonly problems = inject(ProblemService);
  private readonly lang = inject(LangService);
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly kinds = ORG_KINDS.filter((k) => k !== 'platform');
  protected readonly saving = signal(false);
  protected readonly form = this.fb.group({
    kind: this.fb.control<OrgKind>('operator'),
    name: this.org?.name ?? '',
    regionCode: this.fb.control<string | null>(null),
    creditCode: '',
    contactName: this.org?.contactName ?? '',
    // The view's number is masked: the field starts empty and a number is sent only when one is typed.
    contactPhone: '',
  });

  /** "Leave empty to keep 137****0001": the view's number is masked, so the field starts empty. */
  protected keepHint(): string {
    return this.org?.contactPhone ? this.lang.t('org.contactPhoneKeep', { masked: this.org.contactPhone }) : '';
  }

  protected err(name: string): string {
    return fieldError(this.form.get(name));
  }

  protected submit(): void {
    const v = this.form.getRawValue();
    if (this.org) {
      const body = this.problems.validate(
        updateOrganisationSchema,
        compact({ name: v.name, contactName: v.contactName, contactPhone: v.contactPhone }),
        this.form,
      );
      if (body) this.save(this.orgs.update(this.org.id, body));
    } else {
      const body = this.problems.validate(createOrganisationSchema, compact(v), this.form);
      if (body) this.save(this.orgs.create(body));
    }
  }

  private save(call: ReturnType<OrganisationsService['create']>): void {
    this.saving.set(true);
    call.subscribe({
      next: (o) => {
        this.saving.set(false);
        this.ref.close(o);
      },
      error: (e) => {
        this.saving.set(false);
        this.problems.handle(e, this.form);
      },
    });
  }
}
