import { ChangeDetectionStrategy, Component, ElementRef, output, signal, viewChild, type AfterViewInit } from '@angular/core';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzButtonModule } from 'ng-zorro-antd/button';

/**
 * A person signs on the desk screen with a finger, pen or mouse: a trainee's attendance (R-B10), a
 * worker taking a tool (使用签字, R-B11). Emits the drawing as a PNG data URL after each stroke, or
 * null when cleared; the servers keep the bytes and their SM3 hash as evidence.
 */
@Component({
  selector: 'lg-signature-pad',
  imports: [TranslocoPipe, NzButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <canvas #pad width="560" height="200" class="lg-pad" data-testid="signature-pad"
      (pointerdown)="down($event)" (pointermove)="move($event)" (pointerup)="up()" (pointerleave)="up()"></canvas>
    <div class="lg-pad-bar">
      <span class="lg-muted">{{ (empty() ? 'signature.signHere' : 'signature.signed') | transloco }}</span>
      <button nz-button nzType="link" type="button" (click)="clear()" data-testid="signature-clear">{{ 'signature.clear' | transloco }}</button>
    </div>`,
  styles: [
    `.lg-pad { width: 100%; max-width: 560px; height: 200px; border: 1px dashed #8c8c8c; border-radius: 4px; background: #fff; touch-action: none; cursor: crosshair; }
     .lg-pad-bar { display: flex; justify-content: space-between; align-items: center; max-width: 560px; }
     .lg-muted { color: rgba(0, 0, 0, 0.45); font-size: 12px; }`,
  ],
})
export class SignaturePad implements AfterViewInit {
  private readonly canvas = viewChild.required<ElementRef<HTMLCanvasElement>>('pad');
  /** The PNG data URL after each stroke, or null when cleared. */
  readonly signature = output<string | null>();
  protected readonly empty = signal(true);
  private drawing = false;
  private ctx: CanvasRenderingContext2D | null = null;

  ngAfterViewInit(): void {
    this.ctx = this.canvas().nativeElement.getContext('2d');
    if (this.ctx) {
      this.ctx.lineWidth = 3;
      this.ctx.lineCap = 'round';
      this.ctx.strokeStyle = '#111';
    }
  }

  private point(e: PointerEvent): [number, number] {
    const c = this.canvas().nativeElement;
    const r = c.getBoundingClientRect();
    return [((e.clientX - r.left) * c.width) / r.width, ((e.clientY - r.top) * c.height) / r.height];
  }

  protected down(e: PointerEvent): void {
    if (!this.ctx) return;
    this.drawing = true;
    const [x, y] = this.point(e);
    this.ctx.beginPath();
    this.ctx.moveTo(x, y);
  }

  protected move(e: PointerEvent): void {
    if (!this.drawing || !this.ctx) return;
    const [x, y] = this.point(e);
    this.ctx.lineTo(x, y);
    this.ctx.stroke();
    this.empty.set(false);
  }

  protected up(): void {
    if (!this.drawing) return;
    this.drawing = false;
    if (!this.empty()) this.signature.emit(this.canvas().nativeElement.toDataURL('image/png'));
  }

  clear(): void {
    const c = this.canvas().nativeElement;
    this.ctx?.clearRect(0, 0, c.width, c.height);
    this.empty.set(true);
    this.signature.emit(null);
  }
}
