import { Injectable, inject, signal } from '@angular/core';
import { HttpErrorResponse } from '@angular/common/http';
import type { PublicMarketView } from '@linggong/domain';
import { PublicApi } from './public.api';

export type LoadState = 'loading' | 'ready' | 'not_found' | 'failed';

/**
 * The market behind every public page, loaded once by the layout and shared with its pages
 * (provided on the `m/:marketId` route, so each visit to a market has its own).
 */
@Injectable()
export class PublicMarketStore {
  private readonly api = inject(PublicApi);
  private readonly id = signal('');
  readonly marketId = this.id.asReadonly();
  readonly market = signal<PublicMarketView | null>(null);
  readonly state = signal<LoadState>('loading');
  private loadedAt = 0;

  load(marketId: string): void {
    if (marketId === this.id() && this.state() !== 'failed') return;
    this.id.set(marketId);
    this.market.set(null);
    this.refresh();
  }

  /** Re-read the counters when what is shown is more than `maxAgeMs` old. */
  refreshIfStale(maxAgeMs = 10_000): void {
    if (this.state() === 'ready' && Date.now() - this.loadedAt > maxAgeMs) this.refresh();
  }

  /** Re-read the counters (open jobs, people waiting) — e.g. after a check-in. */
  refresh(): void {
    const id = this.id();
    if (!this.market()) this.state.set('loading');
    this.api.market(id).subscribe({
      next: (m) => {
        if (id !== this.id()) return;
        this.market.set(m);
        this.state.set('ready');
        this.loadedAt = Date.now();
      },
      error: (e: unknown) => {
        // A failed background refresh keeps what is shown (e.g. the queue number just issued).
        if (id !== this.id() || (this.market() && this.state() === 'ready')) return;
        // An unknown or closed market (or a malformed id) is a 404/400: a friendly page, never the login screen.
        const missing = e instanceof HttpErrorResponse && (e.status === 404 || e.status === 400);
        this.market.set(null);
        this.state.set(missing ? 'not_found' : 'failed');
      },
    });
  }
}
