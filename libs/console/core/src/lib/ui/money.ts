import { Pipe, type PipeTransform } from '@angular/core';

/** Money is stored in integer fen. 18000 → "180", 2250 → "22.5" (yuan, no trailing zeros). */
export function yuanAmount(fen: number): string {
  return (Math.round(fen) / 100).toFixed(2).replace(/\.?0+$/, '');
}

/** ¥180 / ¥22.5 ('' for no amount). */
export function formatYuan(fen: number | null | undefined): string {
  return fen === null || fen === undefined ? '' : `¥${yuanAmount(fen)}`;
}

@Pipe({ name: 'yuan' })
export class YuanPipe implements PipeTransform {
  transform(fen: number | null | undefined): string {
    return formatYuan(fen);
  }
}
