import { ChangeDetectionStrategy, Component, computed, effect, inject, signal, untracked } from '@angular/core';
import { FormsModule, NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzModalModule } from 'ng-zorro-antd/modal';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzDatePickerModule } from 'ng-zorro-antd/date-picker';
import { NzMessageService } from 'ng-zorro-antd/message';
import {
  EVENT_KINDS, EVENT_STATUSES, asSubject, createEventSchema, eventAttendanceSchema, eventStatusSchema,
  type EventDetailView, type EventView, type MarketView, type PostView,
} from '@linggong/domain';
import { AuthService, LangService, MarketsService, ProblemService, ShanghaiTimePipe, fieldError, setFieldError } from '@linggong/console-core';
import { LgCell, LgListPage, listState, type ListColumn } from '@linggong/console-ui';
import { EventsApi } from './events.api';
type Dialog = 'create' | 'attendance' | 'cancel' | 'posts' | null;

/** 招聘活动 (R-B13): plan fairs, night markets, caravans and live streams; attendance; posts linked and hires from them. */
@Component({
  selector: 'lg-events',
  imports: [
    LgListPage, LgCell, FormsModule, ReactiveFormsModule, TranslocoPipe, ShanghaiTimePipe, NzButtonModule, NzIconModule, NzTagModule,
    NzModalModule, NzFormModule, NzInputModule, NzInputNumberModule, NzSelectModule, NzDatePickerModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './events.page.html',
})
export class EventsPage {
  private readonly api = inject(EventsApi);
  private readonly marketsApi = inject(MarketsService);
  private readonly auth = inject(AuthService);
  private readonly problems = inject(ProblemService);
  private readonly message = inject(NzMessageService);
  private readonly lang = inject(LangService);
  private readonly fb = inject(NonNullableFormBuilder);

  protected readonly list = listState({
    filters: { kind: null as string | null, status: null as string | null },
    load: ({ filters, page, pageSize }) => this.api.list({ page, pageSize, kind: filters.kind, status: filters.status }),
  });
  protected readonly fieldError = fieldError;
  protected readonly kinds = EVENT_KINDS;
  protected readonly statuses = EVENT_STATUSES;
  protected readonly markets = signal<MarketView[]>([]);
  protected readonly writableMarkets = computed(() => {
    this.auth.ability();
    return this.markets().filter((m) => this.auth.can('create', asSubject('MarketEvent', { marketId: m.id, tenantId: m.operatorId, regionCode: m.regionCode })));
  });
  protected readonly expanded = signal<Record<string, EventDetailView | 'loading'>>({});
  protected readonly dialog = signal<Dialog>(null);
  protected readonly current = signal<EventView | null>(null);
  protected readonly saving = signal(false);
  protected readonly posts = signal<PostView[]>([]);

  protected readonly createForm = this.fb.group({
    marketId: this.fb.control<string | null>(null), kind: this.fb.control<(typeof EVENT_KINDS)[number]>('fair'), title: '',
    startsAt: this.fb.control<Date | null>(null), endsAt: this.fb.control<Date | null>(null), place: '', streamUrl: '', organiser: '', note: '',
  });
  protected readonly attendanceForm = this.fb.group({ workers: this.fb.control<number | null>(null), employers: this.fb.control<number | null>(null), viewers: this.fb.control<number | null>(0) });
  protected readonly cancelForm = this.fb.group({ reason: '' });
  protected readonly postsForm = this.fb.group({ postIds: this.fb.control<string[]>([]) });

  protected readonly columns: ListColumn[] = [
    { key: 'expand', title: '', expand: true, width: '40px' },
    { key: 'title', title: 'event.name', width: '220px' },
    { key: 'kind', title: 'event.kind', className: 'lg-nowrap' },
    { key: 'time', title: 'event.time', className: 'lg-nowrap' },
    { key: 'place', title: 'event.place', width: '160px', className: 'lg-break' },
    { key: 'status', title: 'event.status', className: 'lg-nowrap' },
    { key: 'attendance', title: 'event.attendance', width: '150px', testId: 'event-attendance' },
    { key: 'hires', title: 'event.postsHires', width: '130px', testId: 'event-hires' },
    // The row's actions wrap inside their cell (four links side by side made the page 1,710 px wide, issue 17 §8).
    { key: 'actions', title: 'common.actions', width: '150px' },
  ];

  constructor() {
    // Open rows show their event's details again after each load (attendance, links and hires change them).
    effect(() => {
      this.list.items();
      untracked(() => Object.keys(this.expanded()).forEach((id) => this.fetch(id)));
    });
    this.marketsApi.list({ pageSize: 200 }).subscribe({ next: (p) => this.markets.set(p.items), error: (e) => this.problems.handle(e) });
  }

  protected can(e: EventView): boolean {
    this.auth.ability();
    return this.auth.can('update', asSubject('MarketEvent', { id: e.id, tenantId: e.tenantId, marketId: e.marketId }));
  }

  protected started(e: EventView): boolean {
    return Date.parse(e.startsAt) <= Date.now();
  }

  private fetch(id: string): void {
    this.api.get(id).subscribe({ next: (d) => this.expanded.update((x) => ({ ...x, [id]: d })), error: (err) => this.problems.handle(err) });
  }

  protected toggle(e: EventView, open: boolean): void {
    if (!open) {
      this.expanded.update((x) => {
        const { [e.id]: closed, ...rest } = x;
        return rest;
      });
      return;
    }
    this.expanded.update((x) => ({ ...x, [e.id]: 'loading' }));
    this.fetch(e.id);
  }

  protected detailOf(e: EventView): EventDetailView | null {
    const d = this.expanded()[e.id];
    return d && d !== 'loading' ? d : null;
  }

  protected open(kind: Dialog, e: EventView | null = null): void {
    this.current.set(e);
    if (kind === 'create') {
      const only = this.writableMarkets().length === 1 ? this.writableMarkets()[0].id : null;
      this.createForm.reset({ marketId: only, kind: 'fair', title: '', startsAt: null, endsAt: null, place: '', streamUrl: '', organiser: '', note: '' });
    }
    if (kind === 'attendance') this.attendanceForm.reset({ workers: e?.workers ?? null, employers: e?.employers ?? null, viewers: e?.viewers ?? 0 });
    if (kind === 'cancel') this.cancelForm.reset({ reason: '' });
    if (kind === 'posts' && e) {
      this.postsForm.reset({ postIds: [] });
      this.api.posts(e.marketId).subscribe({ next: (p) => this.posts.set(p.items), error: (err) => this.problems.handle(err) });
    }
    this.dialog.set(kind);
  }

  protected submitCreate(): void {
    const v = this.createForm.getRawValue();
    const body = {
      kind: v.kind, title: v.title, startsAt: v.startsAt?.toISOString(), endsAt: v.endsAt?.toISOString(), place: v.place,
      streamUrl: v.streamUrl.trim() || undefined, organiser: v.organiser, note: v.note,
    };
    if (!v.marketId) setFieldError(this.createForm, 'marketId', this.lang.t('event.marketRequired'));
    const parsed = this.problems.validate(createEventSchema, body, this.createForm);
    if (!parsed || !v.marketId) return;
    this.run(this.api.create(v.marketId, parsed), 'event.saved', this.createForm);
  }

  protected held(e: EventView): void {
    this.run(this.api.setStatus(e.id, { status: 'held', reason: '' }), 'event.markedHeld', null);
  }

  protected submitCancel(): void {
    const e = this.current();
    const parsed = this.problems.validate(eventStatusSchema, { status: 'cancelled', reason: this.cancelForm.getRawValue().reason }, this.cancelForm);
    if (!e || !parsed) return;
    this.run(this.api.setStatus(e.id, parsed), 'event.cancelledDone', this.cancelForm);
  }

  protected submitAttendance(): void {
    const e = this.current();
    const v = this.attendanceForm.getRawValue();
    const parsed = this.problems.validate(eventAttendanceSchema, { workers: v.workers ?? undefined, employers: v.employers ?? undefined, viewers: v.viewers ?? 0 }, this.attendanceForm);
    if (!e || !parsed) return;
    this.run(this.api.attendance(e.id, parsed), 'event.attendanceSaved', this.attendanceForm);
  }

  protected submitPosts(): void {
    const e = this.current();
    const ids = this.postsForm.getRawValue().postIds;
    if (!ids.length) setFieldError(this.postsForm, 'postIds', this.lang.t('event.postsRequired'));
    if (!e || !ids.length) return;
    this.run(this.api.linkPosts(e.id, ids), 'event.postsLinked', this.postsForm);
  }

  private run(req: import('rxjs').Observable<unknown>, done: string, form: import('@angular/forms').FormGroup | null): void {
    this.saving.set(true);
    req.subscribe({
      next: () => {
        this.saving.set(false);
        this.dialog.set(null);
        this.message.success(this.lang.t(done));
        this.list.reload();
      },
      error: (err) => {
        this.saving.set(false);
        this.problems.handle(err, form ?? undefined);
      },
    });
  }
}
