import { BarChartOutline } from '@ant-design/icons-angular/icons';

/** The icons this context's menu entries name, loaded by the shell (ConsoleContext.icons). */
export const MENU_ICONS = [BarChartOutline];
