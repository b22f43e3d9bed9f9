import { ChangeDetectionStrategy, Component, ElementRef, output, signal, viewChild, type AfterViewInit } from '@angular/core';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzButtonModule } from 'ng-zorro-antd/button';

/**
 * The worker signs on screen (使用签字, R-B11): pointer strokes on a canvas, exported as a PNG. Emits
 * the PNG's base64 after every stroke, or null when cleared.
 */
@Component({
  selector: 'lg-signature-pad',
  imports: [TranslocoPipe, NzButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <canvas #canvas width="480" height="160" class="lg-sig" data-testid="signature-canvas"
      (pointerdown)="down($event)" (pointermove)="move($event)" (pointerup)="up()" (pointerleave)="up()"></canvas>
    <div class="lg-sig-bar">
      <span class="lg-muted">{{ (signed() ? 'tools.signed' : 'tools.signHere') | transloco }}</span>
      <button nz-button nzSize="small" type="button" (click)="clear()" data-testid="signature-clear">{{ 'tools.clearSignature' | transloco }}</button>
    </div>`,
  styles: [`.lg-sig { border: 1px dashed #8c8c8c; border-radius: 4px; background: #fff; touch-action: none; width: 100%; max-width: 480px; cursor: crosshair; }
    .lg-sig-bar { display: flex; justify-content: space-between; align-items: center; max-width: 480px; margin-top: 4px; }
    .lg-muted { color: rgba(0, 0, 0, 0.45); font-size: 12px; }`],
})
export class SignaturePad implements AfterViewInit {
  readonly changed = output<string | null>();
  protected readonly signed = signal(false);
  private readonly canvas = viewChild.required<ElementRef<HTMLCanvasElement>>('canvas');
  private ctx: CanvasRenderingContext2D | null = null;
  private drawing = false;

  ngAfterViewInit(): void {
    this.ctx = this.canvas().nativeElement.getContext('2d');
    this.clear();
  }

  clear(): void {
    const c = this.canvas().nativeElement;
    if (!this.ctx) return;
    this.ctx.fillStyle = '#fff';
    this.ctx.fillRect(0, 0, c.width, c.height);
    this.ctx.lineWidth = 2.5;
    this.ctx.lineCap = 'round';
    this.ctx.strokeStyle = '#111';
    this.signed.set(false);
    this.changed.emit(null);
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
    this.signed.set(true);
  }

  protected up(): void {
    if (!this.drawing) return;
    this.drawing = false;
    if (this.signed()) this.changed.emit(this.canvas().nativeElement.toDataURL('image/png').replace(/^data:image\/png;base64,/, ''));
  }
}
