import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { MarketContact, MarketStatus, MarketType, OperatingMode, OperatingNature } from '@linggong/domain';

/** A gig market (R-A2, R-A3, R-A4). `tenant_id` is the operator running it, if contracted. */
@Entity('markets')
export class MarketEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column({ name: 'tenant_id', type: 'uuid', nullable: true }) tenantId!: string | null;
  @Column({ name: 'region_code', type: 'text' }) regionCode!: string;
  @Column('text') name!: string;
  @Column('text') type!: MarketType;
  @Column('text') nature!: OperatingNature;
  @Column('text') mode!: OperatingMode;
  @Column('text') status!: MarketStatus;
  @Column({ type: 'text', nullable: true }) address!: string | null;
  @Column({ type: 'double precision', nullable: true }) longitude!: number | null;
  @Column({ type: 'double precision', nullable: true }) latitude!: number | null;
  @Column({ name: 'opening_hours', type: 'text', nullable: true }) openingHours!: string | null;
  @Column({ type: 'jsonb' }) contacts!: MarketContact[];
  @Column({ type: 'text', nullable: true }) hotline!: string | null;
  @Column({ type: 'text', array: true }) occupations!: string[];
  @Column({ name: 'registered_by', type: 'uuid', nullable: true }) registeredBy!: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
