import { Pipe, type PipeTransform } from '@angular/core';

const FORMAT = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
});

/** Times are stored UTC and shown in Asia/Shanghai, whatever the browser's zone (DESIGN.md). */
export function formatShanghai(value: string | Date | null | undefined, withSeconds = true): string {
  if (!value) return '';
  const d = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) return '';
  const p = Object.fromEntries(FORMAT.formatToParts(d).map((x) => [x.type, x.value]));
  const time = withSeconds ? `${p['hour']}:${p['minute']}:${p['second']}` : `${p['hour']}:${p['minute']}`;
  return `${p['year']}-${p['month']}-${p['day']} ${time}`;
}

@Pipe({ name: 'shanghai' })
export class ShanghaiTimePipe implements PipeTransform {
  transform(value: string | Date | null | undefined, withSeconds = true): string {
    return formatShanghai(value, withSeconds);
  }
}
