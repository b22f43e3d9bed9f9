import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { OrgKind, Role } from '@linggong/domain';

/** GB/T 2260 administrative divisions (reference data, no RLS). */
@Entity('regions')
export class RegionEntity {
  @PrimaryColumn('text') code!: string;
  @Column('text') name!: string;
  @Column('text') level!: 'province' | 'city' | 'county';
  @Column({ name: 'parent_code', type: 'text', nullable: true }) parentCode!: string | null;
  @Column({ name: 'full_name', type: 'text' }) fullName!: string;
}

@Entity('organisations')
export class OrganisationEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') kind!: OrgKind;
  @Column('text') name!: string;
  @Column({ name: 'region_code', type: 'text' }) regionCode!: string;
  @Column({ name: 'credit_code', type: 'text', nullable: true }) creditCode!: string | null;
  @Column({ name: 'contact_name', type: 'text', nullable: true }) contactName!: string | null;
  @Column({ name: 'contact_phone', type: 'text', nullable: true }) contactPhone!: string | null;
  @Column('text') status!: 'active' | 'exiting' | 'exited';
  @Column({ name: 'served_regions', type: 'text', array: true }) servedRegions!: string[];
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

@Entity('users')
export class UserEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') username!: string;
  @Column({ name: 'display_name', type: 'text' }) displayName!: string;
  @Column({ name: 'org_id', type: 'uuid' }) orgId!: string;
  /** The operator for operator staff; null for authority and platform users. */
  @Column({ name: 'tenant_id', type: 'uuid', nullable: true }) tenantId!: string | null;
  @Column({ name: 'region_code', type: 'text' }) regionCode!: string;
  @Column({ type: 'text', array: true }) roles!: Role[];
  @Column({ type: 'text', nullable: true }) phone!: string | null;
  @Column({ name: 'password_hash', type: 'text', select: false }) passwordHash!: string;
  @Column('text') status!: 'active' | 'disabled';
  @Column({ name: 'failed_logins', type: 'int' }) failedLogins!: number;
  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true }) lockedUntil!: Date | null;
  @Column({ name: 'last_login_at', type: 'timestamptz', nullable: true }) lastLoginAt!: Date | null;
  @Column({ name: 'password_changed_at', type: 'timestamptz' }) passwordChangedAt!: Date;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  /** Read only here: the second factor is written by api-identity's SECURITY DEFINER functions and the admin reset. */
  @Column({ name: 'totp_enrolled_at', type: 'timestamptz', nullable: true, insert: false, update: false }) totpEnrolledAt!: Date | null;
}

/** Market-level assignment of operator staff (issue 2 §3). */
@Entity('user_markets')
export class UserMarketEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' }) userId!: string;
  @PrimaryColumn({ name: 'market_id', type: 'uuid' }) marketId!: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId!: string;
}
