import type { Route } from '@angular/router';
import { provideNzIconsPatch } from 'ng-zorro-antd/icon';
import {
  BankOutline, CarryOutOutline, CheckCircleFill, CheckCircleOutline, CheckOutline, ClockCircleOutline, CloseOutline, EnvironmentOutline,
  InfoCircleFill, LoginOutline, OrderedListOutline, PayCircleOutline, PlayCircleOutline, PlusOutline, QrcodeOutline, QuestionCircleOutline,
  ReloadOutline, SearchOutline, SolutionOutline, StopOutline, TeamOutline, ThunderboltOutline, UserAddOutline, UserOutline,
} from '@ant-design/icons-angular/icons';

/** The console bundles its icons statically; these are the ones the desk and the posts page add. */
const ICONS = provideNzIconsPatch([
  BankOutline, CarryOutOutline, CheckCircleFill, CheckCircleOutline, CheckOutline, ClockCircleOutline, CloseOutline, EnvironmentOutline,
  InfoCircleFill, LoginOutline, OrderedListOutline, PayCircleOutline, PlayCircleOutline, PlusOutline, QrcodeOutline, QuestionCircleOutline,
  ReloadOutline, SearchOutline, SolutionOutline, StopOutline, TeamOutline, ThunderboltOutline, UserAddOutline, UserOutline,
]);

/** Mounted at `desk` (即时快招 front desk). */
export const DESK_ROUTES: Route[] = [
  { path: '', providers: [ICONS], loadComponent: () => import('./desk/desk.page').then((m) => m.DeskPage) },
];

/** Mounted at `posts` (job posts, their review and red flags). */
export const POST_ROUTES: Route[] = [
  { path: '', providers: [ICONS], loadComponent: () => import('./posts/posts.page').then((m) => m.PostsPage) },
];
