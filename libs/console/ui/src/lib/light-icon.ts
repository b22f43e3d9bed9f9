import { ChangeDetectionStrategy, Component, ElementRef, effect, inject, input, isDevMode } from '@angular/core';
import type { IconDefinition } from '@ant-design/icons-angular';
import * as LIGHT from './light-icons';

const BY_KEY = new Map<string, IconDefinition>(Object.values(LIGHT).map((d) => [`${d.name}:${d.theme}`, d]));

/**
 * An icon for the pages opened on a weak phone signal (the market's public pages), drawn from
 * light-icons.ts: ng-zorro's `nz-icon` imports the icon package's single module, which carries every icon
 * the console uses (≈ 60 kB on such a page, issue 17 §10). Same look: ant-design's `anticon` class, the
 * SVG at 1em in the text's colour, `loading` spinning. `type` names an icon of light-icons.ts (an unknown
 * name draws nothing and warns in development); add icons there with tools/icons/light-icons.mjs.
 */
@Component({
  selector: 'lg-icon',
  template: '',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '[class]': '"anticon anticon-" + type() + (type() === "loading" ? " anticon-spin" : "")', 'aria-hidden': 'true', role: 'img' },
})
export class LgIcon {
  readonly type = input.required<string>();
  readonly theme = input<'outline' | 'fill'>('outline');
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);

  constructor() {
    effect(() => {
      const def = BY_KEY.get(`${this.type()}:${this.theme()}`);
      if (!def && isDevMode()) console.warn(`lg-icon: no light icon ${this.type()} (${this.theme()}); add it in tools/icons/light-icons.mjs`);
      const el = this.host.nativeElement;
      // Our own constant SVG (light-icons.ts is generated from the icon package), never user input.
      el.innerHTML = def?.icon ?? '';
      const svg = el.firstElementChild;
      if (svg) for (const [k, v] of [['width', '1em'], ['height', '1em'], ['fill', 'currentColor'], ['aria-hidden', 'true']]) svg.setAttribute(k, v);
    });
  }
}
