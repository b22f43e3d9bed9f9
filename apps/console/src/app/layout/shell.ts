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
import { AuthService, CONSOLE_CONTEXTS, LangService, ProblemService, type ConsoleMenuEntry } from '@linggong/console-core';

/** The signed-in frame: dark sider with the contexts' menu entries the user's abilities allow, and a header. */
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
  private readonly entries = inject(CONSOLE_CONTEXTS).flatMap((c) => c.menu ?? []).sort((a, b) => a.order - b.order);
  protected readonly collapsed = signal(false);
  /** The current URL as a signal; the menu's selection follows it (one item selected, always). */
  private readonly url = toSignal(this.router.events.pipe(filter((e) => e instanceof NavigationEnd), map(() => this.router.url)), { initialValue: this.router.url });

  protected isActive(item: ConsoleMenuEntry): boolean {
    const path = this.url().split('?')[0];
    return item.exact ? path === item.link : path === item.link || path.startsWith(`${item.link}/`);
  }

  protected readonly menu = computed<ConsoleMenuEntry[]>(() => {
    this.auth.ability();
    return this.entries.filter((e) => e.visible(this.auth));
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
