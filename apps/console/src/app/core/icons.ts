import {
  ArrowLeftOutline, ClockCircleOutline, DeleteOutline, DisconnectOutline, EditOutline, EnvironmentOutline, EyeOutline,
  GlobalOutline, KeyOutline, LockOutline, LogoutOutline, MenuFoldOutline, MenuUnfoldOutline, PhoneOutline, PlusOutline,
  ReloadOutline, SearchOutline, StopOutline, UnlockOutline, UserOutline, DownloadOutline, UploadOutline, PaperClipOutline,
  DownOutline, RightOutline, FileTextOutline, DashboardOutline, FormOutline, FileSearchOutline, SwapOutline,
  FieldTimeOutline, RiseOutline, CheckCircleOutline, RedoOutline, SafetyOutline,
} from '@ant-design/icons-angular/icons';

/**
 * Icons are bundled statically (only these, plus each context's menu icons from its declaration and the
 * icons its routes patch in), so nothing is fetched from /assets at runtime. Patched in on the login and
 * shell routes (app.routes.ts), not at the root: the public pages bring their own few.
 */
export const CONSOLE_ICONS = [
    ArrowLeftOutline, ClockCircleOutline, DeleteOutline, DisconnectOutline, EditOutline, EnvironmentOutline, EyeOutline,
    GlobalOutline, KeyOutline, LockOutline, LogoutOutline, MenuFoldOutline, MenuUnfoldOutline, PhoneOutline, PlusOutline,
    ReloadOutline, SearchOutline, StopOutline, UnlockOutline, UserOutline, DownloadOutline, UploadOutline, PaperClipOutline,
    DownOutline, RightOutline, FileTextOutline, DashboardOutline, FormOutline, FileSearchOutline, SwapOutline,
    FieldTimeOutline, RiseOutline, CheckCircleOutline, RedoOutline, SafetyOutline,
];
