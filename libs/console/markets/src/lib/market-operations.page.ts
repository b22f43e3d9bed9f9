import { ChangeDetectionStrategy, Component, effect, inject, input, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzCardModule } from 'ng-zorro-antd/card';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzMessageService } from 'ng-zorro-antd/message';
import { marketOperationsSchema, type MarketContact, type MarketView } from '@linggong/domain';
import { LangService, MarketsService, ProblemService, compact, fieldError } from '@linggong/console-core';

/** Operating details, owned by the operator (address, hours, contacts, hotline, occupations). */
@Component({
  selector: 'lg-market-operations',
  imports: [
    ReactiveFormsModule, RouterLink, TranslocoPipe, NzFormModule, NzInputModule, NzInputNumberModule, NzSelectModule,
    NzButtonModule, NzCardModule, NzIconModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './market-operations.page.html',
})
export class MarketOperationsPage {
  readonly id = input.required<string>();
  private readonly markets = inject(MarketsService);
  private readonly problems = inject(ProblemService);
  private readonly message = inject(NzMessageService);
  private readonly lang = inject(LangService);
  private readonly router = inject(Router);
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly market = signal<MarketView | null>(null);
  protected readonly saving = signal(false);
  protected readonly form = this.fb.group({
    address: '',
    longitude: this.fb.control<number | null>(null),
    latitude: this.fb.control<number | null>(null),
    openingHours: '',
    hotline: '',
    contacts: this.fb.array<ReturnType<MarketOperationsPage['contactGroup']>>([]),
    occupations: this.fb.control<string[]>([]),
  });

  constructor() {
    effect(() => {
      this.markets.get(this.id()).subscribe({
        next: (m) => {
          this.market.set(m);
          this.form.controls.contacts.clear();
          m.contacts.forEach((c) => this.form.controls.contacts.push(this.contactGroup(c)));
          this.form.patchValue({
            address: m.address ?? '', longitude: m.longitude, latitude: m.latitude, openingHours: m.openingHours ?? '',
            hotline: m.hotline ?? '', occupations: m.occupations,
          });
        },
        error: (e) => this.problems.handle(e),
      });
    });
  }

  private contactGroup(c: Partial<MarketContact> = {}) {
    return this.fb.group({ name: c.name ?? '', phone: c.phone ?? '', title: c.title ?? '' });
  }

  protected addContact(): void {
    this.form.controls.contacts.push(this.contactGroup());
  }

  protected removeContact(i: number): void {
    this.form.controls.contacts.removeAt(i);
  }

  protected err(path: string): string {
    return fieldError(this.form.get(path));
  }

  protected submit(): void {
    const v = this.form.getRawValue();
    const body = this.problems.validate(
      marketOperationsSchema,
      {
        ...compact({ address: v.address, longitude: v.longitude, latitude: v.latitude, openingHours: v.openingHours, hotline: v.hotline }),
        contacts: v.contacts.map((c) => compact(c)),
        occupations: v.occupations.map((o) => o.trim()).filter(Boolean),
      },
      this.form,
    );
    if (!body) return;
    this.saving.set(true);
    this.markets.updateOperations(this.id(), body).subscribe({
      next: () => {
        this.saving.set(false);
        this.message.success(this.lang.t('common.saved'));
        void this.router.navigate(['/markets', this.id()]);
      },
      error: (e) => {
        this.saving.set(false);
        this.problems.handle(e, this.form);
      },
    });
  }
}
