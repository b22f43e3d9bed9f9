export { IdentityModule, IdentityCoreModule } from './lib/identity.module';
export { SessionService, type SessionData } from './lib/session.service';
export { PasswordService } from './lib/password.service';
export { AuthGuard, SESSION_COOKIE } from './lib/auth.guard';
export { CleanSessionsJob } from './lib/clean-sessions.job';
export { Identity1763800200000 } from './lib/migrations/1763800200000-identity';
export { LoginThrottle } from './lib/login-throttle';
export { TotpService, demoTotpSecret, totpCode, RECOVERY_CODE_COUNT } from './lib/totp';
export { SecondFactor1763802400000 } from './lib/migrations/1763802400000-second-factor';
