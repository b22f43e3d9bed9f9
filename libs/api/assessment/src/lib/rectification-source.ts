import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { RectificationSources } from '@linggong/api-oversight';

/**
 * An assessment whose published grade carries a consequence beyond a warning (限期整改, or exit may be
 * proposed) is a source the county may order rectification from (issue 15 §3 → issue 16 §3): registered
 * with oversight's sources, resolved in the caller's transaction (its RLS), so an invisible or
 * unpublished assessment is no source.
 */
@Injectable()
export class AssessmentRectificationSource implements OnModuleInit {
  constructor(private readonly sources: RectificationSources) {}

  onModuleInit(): void {
    this.sources.register({
      kind: 'assessment',
      resolve: async (em: EntityManager, id: string) => {
        const [a] = await em.query<{ tenant_id: string; region_code: string }[]>(
          `SELECT tenant_id, region_code FROM assessments
           WHERE id = $1 AND state IN ('published', 'appealed', 'final') AND consequence IN ('rectification', 'exit_proposable')`, [id]);
        return a ? { tenantId: a.tenant_id, regionCode: a.region_code } : null;
      },
    });
  }
}
