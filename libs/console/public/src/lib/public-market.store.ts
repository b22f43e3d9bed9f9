import { Injectable, inject, signal } from '@angular/core';
import { HttpErrorResponse } from '@angular/common/http';
import type { PublicMarketView } from '@linggong/domain/light';
import { PublicApi } from './public.api';

export type LoadState = 'loading' | 'ready' | 'not_found' | 'failed';

/** The market this phone last opened, so `/checkin`, `/jobs`, `/complaint` typed without one go back to it (issue 17 §9). */
export const LAST_MARKET_KEY = 'lg.public.market';

export function lastMarket(): string | null {
  try {
    return globalThis.localStorage?.getItem(LAST_MARKET_KEY) ?? null;
  } catch {
    return null;
  }
}

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
        try {
          globalThis.localStorage?.setItem(LAST_MARKET_KEY, m.id);
        } catch {
          /* private mode: nothing is remembered */
        }
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
