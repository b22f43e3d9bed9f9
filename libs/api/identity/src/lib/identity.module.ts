import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuditModule } from '@linggong/api-audit';
import { IdentityController } from './identity.controller';
import { IdentityService } from './identity.service';
import { PasswordService } from './password.service';
import { SessionService } from './session.service';
import { AuthGuard } from './auth.guard';
import { LoginThrottle } from './login-throttle';
import { TotpService } from './totp';

/** Sessions and passwords, usable by the worker without the HTTP parts. */
@Module({ providers: [SessionService, PasswordService, LoginThrottle, TotpService], exports: [SessionService, PasswordService, LoginThrottle, TotpService] })
export class IdentityCoreModule {}

@Module({
  imports: [IdentityCoreModule, AuditModule],
  controllers: [IdentityController],
  providers: [IdentityService, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [IdentityCoreModule],
})
export class IdentityModule {}
