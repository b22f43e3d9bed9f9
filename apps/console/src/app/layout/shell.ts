import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { NavigationEnd, Router, RouterLink, RouterOutlet } from '@angular/router';
import { toSignal } from '@angular/core/rxjs-interop';
import { filter, map } from 'rxjs';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzLayoutModule } from 'ng-zorro-antd/layout';
import { NzMenuModule } from 'ng-zorro-antd/menu';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzDropDownModule } from 'ng-zorro-antd/dropdown';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzModalModule, NzModalService } from 'ng-zorro-antd/modal';
import { AuthService, LangService, ProblemService } from '@linggong/console-core';

interface MenuItem { key: string; icon: string; link: string; exact: boolean; testId: string }

/** The signed-in frame: dark sider with a menu derived from the user's abilities, and a header. */
@Component({
  selector: 'lg-shell',
  imports: [
    NzModalModule, RouterOutlet, RouterLink, TranslocoPipe, NzLayoutModule, NzMenuModule, NzIconModule,
    NzDropDownModule, NzTagModule, NzButtonModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './shell.html',
  styleUrl: './shell.less',
})
export class Shell {
  private readonly router = inject(Router);
  protected readonly auth = inject(AuthService);
  protected readonly lang = inject(LangService);
  private readonly problems = inject(ProblemService);
  private readonly modal = inject(NzModalService);
  protected readonly collapsed = signal(false);
  /** The current URL as a signal; the menu's selection follows it (one item selected, always). */
  private readonly url = toSignal(this.router.events.pipe(filter((e) => e instanceof NavigationEnd), map(() => this.router.url)), { initialValue: this.router.url });

  protected isActive(item: MenuItem): boolean {
    const path = this.url().split('?')[0];
    return item.exact ? path === item.link : path === item.link || path.startsWith(`${item.link}/`);
  }

  protected readonly menu = computed<MenuItem[]>(() => {
    this.auth.ability();
    const items: MenuItem[] = [{ key: 'menu.home', icon: 'home', link: '/', exact: true, testId: 'menu-home' }];
    if (this.auth.canBeyondOwn('read', 'Organisation'))
      items.push({ key: 'menu.organisations', icon: 'apartment', link: '/organisations', exact: false, testId: 'menu-organisations' });
    if (this.auth.canBeyondOwn('read', 'User') || this.auth.can('create', 'User'))
      items.push({ key: 'menu.users', icon: 'team', link: '/users', exact: false, testId: 'menu-users' });
    if (this.auth.can('read', 'Analytics'))
      items.push({ key: 'menu.analytics', icon: 'bar-chart', link: '/analytics', exact: false, testId: 'menu-analytics' });
    if (this.auth.can('read', 'Market'))
      items.push({ key: 'menu.markets', icon: 'shop', link: '/markets', exact: false, testId: 'menu-markets' });
    if (this.auth.can('create', 'Placement'))
      items.push({ key: 'menu.desk', icon: 'thunderbolt', link: '/desk', exact: false, testId: 'menu-desk' });
    if (this.auth.can('read', 'Post'))
      items.push({ key: 'menu.posts', icon: 'solution', link: '/posts', exact: false, testId: 'menu-posts' });
    if (this.auth.can('read', 'Worker'))
      items.push({ key: 'menu.workers', icon: 'idcard', link: '/workers', exact: false, testId: 'menu-workers' });
    if (this.auth.can('read', 'Employer'))
      items.push({ key: 'menu.employers', icon: 'bank', link: '/employers', exact: false, testId: 'menu-employers' });
    if (this.auth.can('read', 'Complaint'))
      items.push({ key: 'menu.complaints', icon: 'customer-service', link: '/complaints', exact: false, testId: 'menu-complaints' });
    if (this.auth.can('read', 'Tool'))
      items.push({ key: 'menu.tools', icon: 'tool', link: '/tools', exact: false, testId: 'menu-tools' });
    if (this.auth.can('read', 'Training'))
      items.push({ key: 'menu.training', icon: 'read', link: '/training', exact: false, testId: 'menu-training' });
    if (this.auth.can('read', 'MarketEvent'))
      items.push({ key: 'menu.events', icon: 'flag', link: '/events', exact: false, testId: 'menu-events' });
    if (this.auth.can('read', 'Assistance'))
      items.push({ key: 'menu.assistance', icon: 'heart', link: '/assistance', exact: false, testId: 'menu-assistance' });
    if (this.auth.can('read', 'ServiceRecord'))
      items.push({ key: 'menu.services', icon: 'customer-service', link: '/services', exact: false, testId: 'menu-services' });
    if (this.auth.can('verify', 'Ledger'))
      items.push({ key: 'menu.ledgerSeals', icon: 'safety-certificate', link: '/ledger/seals', exact: false, testId: 'menu-ledger' });
    if (this.auth.can('read', 'AuditEvent'))
      items.push({ key: 'menu.audit', icon: 'audit', link: '/audit', exact: false, testId: 'menu-audit' });
    return items;
  });

  protected toggleLang(): void {
    void this.lang.use(this.lang.lang() === 'zh-CN' ? 'en' : 'zh-CN');
  }

  /** Lazy: the dialog brings the zod schemas, which the first screen does not need. */
  protected async changePassword(): Promise<void> {
    const { ChangePasswordDialog } = await import('./change-password.dialog');
    this.modal.create({
      nzTitle: this.lang.t('password.title'),
      nzContent: ChangePasswordDialog,
      nzFooter: null,
      nzWidth: 480,
    });
  }

  /** Own second factor: optional enrolment (operator users), new recovery codes. */
  protected async secondFactor(): Promise<void> {
    const { SecondFactorDialog } = await import('./second-factor.dialog');
    this.modal.create({ nzTitle: this.lang.t('secondFactor.title'), nzContent: SecondFactorDialog, nzFooter: null, nzWidth: 480 });
  }

  protected logout(everywhere = false): void {
    const call = everywhere ? this.auth.revokeAll() : this.auth.logout();
    call.subscribe({
      next: () => void this.router.navigate(['/login']),
      error: (e) => {
        this.problems.handle(e);
        void this.router.navigate(['/login']);
      },
    });
  }
}
