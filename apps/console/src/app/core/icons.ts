import { provideNzIcons } from 'ng-zorro-antd/icon';
import {
  ApartmentOutline, ArrowLeftOutline, AuditOutline, ClockCircleOutline, DeleteOutline, DisconnectOutline, EditOutline,
  EnvironmentOutline, EyeOutline, GlobalOutline, HomeOutline, KeyOutline, LockOutline, LogoutOutline, MenuFoldOutline,
  MenuUnfoldOutline, PhoneOutline, PlusOutline, ReloadOutline, SearchOutline, ShopOutline, StopOutline, TeamOutline, ToolOutline,
  UnlockOutline, UserOutline, SafetyCertificateOutline, DownloadOutline, UploadOutline, PaperClipOutline, DownOutline, RightOutline,
  FileTextOutline, IdcardOutline, BankOutline, ThunderboltOutline, SolutionOutline,
  CustomerServiceOutline, DashboardOutline, FormOutline, FileSearchOutline, SwapOutline, FieldTimeOutline, RiseOutline, CheckCircleOutline, RedoOutline,
  ReadOutline, FlagOutline,
  HeartOutline, BarChartOutline,
} from '@ant-design/icons-angular/icons';

/** Icons are bundled statically (only these), so nothing is fetched from /assets at runtime. */
export const provideIcons = () =>
  provideNzIcons([
    ApartmentOutline, ArrowLeftOutline, AuditOutline, ClockCircleOutline, DeleteOutline, DisconnectOutline, EditOutline,
    EnvironmentOutline, EyeOutline, GlobalOutline, HomeOutline, KeyOutline, LockOutline, LogoutOutline, MenuFoldOutline,
    MenuUnfoldOutline, PhoneOutline, PlusOutline, ReloadOutline, SearchOutline, ShopOutline, StopOutline, TeamOutline, ToolOutline,
    UnlockOutline, UserOutline, SafetyCertificateOutline, DownloadOutline, UploadOutline, PaperClipOutline, DownOutline, RightOutline,
    FileTextOutline, IdcardOutline, BankOutline, ThunderboltOutline, SolutionOutline,
    CustomerServiceOutline, DashboardOutline, FormOutline, FileSearchOutline, SwapOutline, FieldTimeOutline, RiseOutline, CheckCircleOutline, RedoOutline,
    ReadOutline, FlagOutline,
    HeartOutline, BarChartOutline,
  ]);
