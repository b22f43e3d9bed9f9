import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { auditQuerySchema, type Actor } from '@linggong/domain';
import { CurrentActor, IdPipe, Route, ZodPipe } from '@linggong/api-core';
import { AuditService } from './audit.service';

@ApiTags('audit')
@Controller('v1/audit-events')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Route({ operationId: 'audit_list', summary: 'Search the audit log', permission: ['read', 'AuditEvent'], query: auditQuerySchema })
  list(@CurrentActor() actor: Actor, @Query(new ZodPipe(auditQuerySchema, 'query')) query: z.infer<typeof auditQuerySchema>) {
    return this.audit.list(actor, query);
  }

  @Get(':id')
  @Route({ operationId: 'audit_get', summary: 'One audit event', permission: ['read', 'AuditEvent'] })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.audit.get(actor, id);
  }
}
