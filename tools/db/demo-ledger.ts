import type { EntityManager } from 'typeorm';
import { Pii, type AppConfig } from '@linggong/api-core';
import { maskIdNumber, maskPhone } from '@linggong/domain';
import {
  DEFAULT_ALG, GENESIS, entryHash, merkleRoot, sealDigest, shanghaiDay, signDigest, type LedgerEntry,
} from '@linggong/ledger-chain';
import type { KeyObject } from 'node:crypto';
import type { MarketActivity } from './demo-activity';

/** The demo employers' GB/T 4754—2017 section by their kind of business (issue 14: demand by industry). */
const DEMO_INDUSTRY: Record<string, string> = {
  construction: 'E', logistics: 'G', agriculture: 'A', manufacturing: 'C', services: 'O', domestic: 'O', hospitality: 'H', sales: 'F',
};
import { Rng, uuidv7 } from './demo-data';

/**
 * Writes one market's simulated activity (tools/db/demo-activity.ts) in the caller's transaction:
 * the business rows in multi-row batches, then the market's work log built with the same rules as
 * LedgerService — one hash chain (SM3, canonical serialisation) in time order, each entry in the
 * business day of its recording (Asia/Shanghai), every day before today sealed (count, range, last
 * hash, Merkle root, Ed25519 signature with the platform key) with the authority's receipt, and
 * the head at the last entry with today left open. Personal data is encrypted exactly as
 * WorkersService and EmployersService do (AES-256-GCM, blind index under the configured keys);
 * ledger payloads carry ids, as the services' payloads do.
 */

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** INSERT … SELECT FROM jsonb_populate_recordset: one statement per few thousand rows, arrays and jsonb included. */
export async function insertRows(em: EntityManager, table: string, rows: Record<string, unknown>[], chunk = 2500): Promise<void> {
  if (!rows.length) return;
  const cols = Object.keys(rows[0]).join(', ');
  for (let i = 0; i < rows.length; i += chunk) {
    await em.query(`INSERT INTO ${table} (${cols}) SELECT ${cols} FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb)`, [JSON.stringify(rows.slice(i, i + chunk))]);
  }
}

export interface WriteResult { entries: number; seals: number; rows: Record<string, number> }

export async function writeActivity(em: EntityManager, a: MarketActivity, config: AppConfig, pii: Pii, signingKey: KeyObject): Promise<WriteResult> {
  const m = a.market;
  const base = { tenant_id: m.tenantId, market_id: m.id, region_code: m.regionCode };

  const workers = a.workers.map((w) => ({
    id: w.id, ...base, name: w.name, mobile_enc: pii.encrypt(w.mobile), mobile_masked: maskPhone(w.mobile), mobile_bidx: pii.index('mobile', w.mobile),
    id_enc: w.idNumber ? pii.encrypt(w.idNumber) : null, id_masked: maskIdNumber(w.idNumber), id_bidx: w.idNumber ? pii.index('id', w.idNumber) : null,
    gender: w.gender, birth_year: w.birthYear, birth_date: w.birthDate, occupations: w.occupations, skills: w.skills, availability: w.availability,
    home_area: w.homeArea, home_lat: w.homeLat, home_lng: w.homeLng, hardship_tier: w.hardship, status: w.status, completed_count: w.completed,
    no_show_count: w.noShows, last_seen_on: w.lastSeen, last_worked_on: w.lastWorked, source: w.source, consent_at: iso(w.regAt),
    created_by: w.regBy.id, created_at: iso(w.regAt), updated_at: iso(w.updatedAt), job_push: w.jobPush ?? false, job_push_at: w.jobPush ? iso(w.regAt) : null,
  }));
  const openFlags = new Map<string, number>();
  for (const f of a.flags) openFlags.set(f.employer.id, (openFlags.get(f.employer.id) ?? 0) + 1);
  const employers = a.employers.map((e) => ({
    id: e.id, ...base, kind: e.kind, name: e.name, credit_code: e.creditCode, contact_name: e.contactName,
    contact_phone_enc: pii.encrypt(e.contactPhone), contact_phone_masked: maskPhone(e.contactPhone), address: e.address, status: e.status,
    evidence: e.evidence, evidence_attachments: [], verified_by: e.verifiedBy?.id ?? null, verified_at: iso(e.verifiedAt), created_by: e.createdBy.id,
    created_at: iso(e.regAt), open_flags: openFlags.get(e.id) ?? 0,
    // The employer's GB/T 4754 section (issue 14), from the demo's kind of business: no draw, so the rest of the demo is unchanged.
    industry: DEMO_INDUSTRY[e.category],
  }));
  const posts = a.posts.map((p) => ({
    id: p.id, ...base, employer_id: p.employer.id, occupation: p.occupation, title: p.title, headcount: p.headcount, hired_count: p.hired,
    wage_fen: p.wageFen, wage_unit: p.wageUnit, period: p.period, period_count: p.periodCount, start_at: iso(p.startAt), place: p.place,
    lat: p.lat, lng: p.lng, requirements: p.requirements, skills: p.skills, worker_fee_fen: p.workerFeeFen, hazards: p.hazards, status: p.status,
    red_flags: p.redFlags, review_reason: p.reviewReason, reviewed_by: p.reviewedBy?.id ?? null, reviewed_at: iso(p.reviewedAt),
    expires_at: iso(p.expiresAt), source: p.source, platform: p.platform, external_id: p.externalId, created_by: p.createdBy.id, created_at: iso(p.createdAt),
  }));
  const checkIns = a.checkIns.map((c) => ({
    id: c.id, ...base, worker_id: c.worker.id, day: c.day, occupations: c.occupations, channel: c.channel, status: c.status,
    queue_number: c.queueNumber, checked_in_at: iso(c.at), created_by: c.createdBy.id,
  }));
  const placements = a.placements.map((pl) => ({
    id: pl.id, ...base, post_id: pl.post.id, worker_id: pl.worker.id, check_in_id: pl.checkIn?.id ?? null, status: pl.status, score: pl.score,
    worker_token_hash: pl.workerTokenHash, employer_token_hash: pl.employerTokenHash, employer_confirmed_at: iso(pl.employerConfirmedAt),
    worker_confirmed_at: iso(pl.workerConfirmedAt), started_at: iso(pl.startedAt), completed_at: iso(pl.completedAt), amount_paid_fen: pl.amountPaidFen,
    paid_by: pl.paidBy, paid_at: iso(pl.paidAt), pay_method: pl.payMethod, no_show_party: pl.noShowParty, cancel_reason: pl.cancelReason,
    non_payment: pl.nonPayment, recommended_by: pl.recommendedBy.id, recommended_by_name: pl.recommendedBy.username, created_at: iso(pl.createdAt),
    updated_at: iso(pl.updatedAt),
  }));
  const refusals = a.refusals.map((r) => ({
    id: r.id, ...base, worker_id: r.worker.id, post_id: r.post.id, rule: r.rule, items: r.items, legal_source: r.legalSource,
    actor_user_id: r.actor.id, created_at: iso(r.at),
  }));
  const sanctions = a.sanctions.map((s) => ({
    id: s.id, ...base, worker_id: s.worker.id, placement_id: s.placement?.id ?? null, kind: s.kind, reason: s.reason, notice: s.notice,
    notice_at: iso(s.noticeAt), appeal_deadline: iso(s.appealDeadline), status: s.status, appeal_statement: s.appealStatement,
    appealed_at: iso(s.appealedAt), decision_reason: s.decisionReason, decided_by: s.decidedBy?.id ?? null, decided_at: iso(s.decidedAt),
    created_by: s.createdBy.id, created_at: iso(s.noticeAt),
  }));
  const flags = a.flags.map((f) => ({
    id: f.id, ...base, employer_id: f.employer.id, kind: f.kind, placement_id: f.placement?.id ?? null, amount_owed_fen: f.amountOwedFen,
    workers_affected: f.workersAffected, description: f.description, referred_to: f.referredTo, referred_at: iso(f.referredAt), status: 'open',
    created_by: f.createdBy.id, created_at: iso(f.at),
  }));

  await insertRows(em, 'workers', workers);
  await insertRows(em, 'employers', employers);
  await insertRows(em, 'posts', posts);
  await insertRows(em, 'check_ins', checkIns);
  await insertRows(em, 'placements', placements);
  await insertRows(em, 'compliance_refusals', refusals);
  await insertRows(em, 'worker_sanctions', sanctions);
  await insertRows(em, 'employer_flags', flags);
  const extra: Record<string, number> = {};
  for (const x of a.extraRows) {
    await insertRows(em, x.table, x.rows);
    extra[x.table] = (extra[x.table] ?? 0) + x.rows.length;
  }

  // The work log: one chain in the order things happened.
  const events = [...a.events].sort((x, y) => x.at - y.at || x.order - y.order);
  const ids = new Rng(`linggong-demo-ledger:${m.id}`);
  const entries: Record<string, unknown>[] = [];
  const byDay = new Map<string, { hashes: string[]; first: number; last: number }>();
  let prev = GENESIS;
  let seq = 0;
  for (const ev of events) {
    const at = new Date(ev.at).toISOString();
    const e: Omit<LedgerEntry, 'hash'> = {
      marketId: m.id, seq: ++seq, kind: ev.kind, occurredAt: at, recordedAt: at, businessDay: shanghaiDay(at), actorUserId: ev.actor.id,
      subjectType: ev.subjectType, subjectId: ev.subjectId, payload: ev.payload(), corrects: null, reason: null, attachments: [], prevHash: prev, alg: DEFAULT_ALG,
    };
    const hash = entryHash(e);
    entries.push({
      market_id: m.id, seq: e.seq, id: uuidv7(ids, ev.at), tenant_id: m.tenantId, region_code: m.regionCode, kind: e.kind, occurred_at: at, recorded_at: at,
      business_day: e.businessDay, actor_user_id: e.actorUserId, actor_name: ev.actor.username, subject_type: e.subjectType, subject_id: e.subjectId,
      payload: e.payload, corrects: null, reason: null, attachments: [], prev_hash: prev, hash, alg: DEFAULT_ALG,
    });
    const d = byDay.get(e.businessDay) ?? { hashes: [], first: e.seq, last: e.seq };
    d.hashes.push(hash);
    d.last = e.seq;
    byDay.set(e.businessDay, d);
    prev = hash;
  }
  // The bulk of the rows: typed arrays through unnest, a few thousand entries a statement.
  for (let i = 0; i < entries.length; i += 5000) {
    const part = entries.slice(i, i + 5000);
    const col = (k: string) => part.map((r) => r[k]);
    await em.query(
      `INSERT INTO ledger_entries (market_id, seq, id, tenant_id, region_code, kind, occurred_at, recorded_at, business_day, actor_user_id, actor_name,
         subject_type, subject_id, payload, attachments, prev_hash, hash, alg)
       SELECT $1, u.seq, u.id, $2, $3, u.kind, u.at, u.at, u.day, u.actor, u.actor_name, u.st, u.sid, u.payload::jsonb, '{}', u.prev, u.hash, $4
       FROM unnest($5::bigint[], $6::uuid[], $7::text[], $8::timestamptz[], $9::date[], $10::uuid[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[])
         AS u(seq, id, kind, at, day, actor, actor_name, st, sid, payload, prev, hash)`,
      [m.id, m.tenantId, m.regionCode, DEFAULT_ALG, col('seq'), col('id'), col('kind'), col('occurred_at'), col('business_day'), col('actor_user_id'),
        col('actor_name'), col('subject_type'), col('subject_id'), part.map((r) => JSON.stringify(r['payload'])), col('prev_hash'), col('hash')]);
  }

  // 日结: every day before today, each with its seal and the authority's receipt.
  const seals: Record<string, unknown>[] = [];
  const receipts: Record<string, unknown>[] = [];
  let sealedThrough: string | null = null;
  for (const s of a.seals) {
    const d = byDay.get(s.day);
    if (!d) throw new Error(`demo: no entries on ${s.day} for ${m.name}`);
    const lastAt = entries[d.last - 1]['recorded_at'] as string;
    if (Date.parse(lastAt) >= s.closedAt) throw new Error(`demo: ${m.name} ${s.day} closed before its last entry (${entries[d.last - 1]['kind']} at ${lastAt}, closed ${new Date(s.closedAt).toISOString()})`);
    const closedAt = new Date(s.closedAt).toISOString();
    const sealBase = {
      marketId: m.id, businessDay: s.day, count: d.hashes.length, firstSeq: d.first, lastSeq: d.last, lastHash: d.hashes[d.hashes.length - 1],
      merkleRoot: merkleRoot(DEFAULT_ALG, d.hashes), closedAt, late: s.late, alg: DEFAULT_ALG, keyId: config.LEDGER_KEY_ID,
    };
    const digest = sealDigest(sealBase);
    seals.push({
      market_id: m.id, business_day: s.day, tenant_id: m.tenantId, region_code: m.regionCode, count: sealBase.count, first_seq: sealBase.firstSeq,
      last_seq: sealBase.lastSeq, last_hash: sealBase.lastHash, merkle_root: sealBase.merkleRoot, closed_at: closedAt, closed_by: s.closedBy?.id ?? null,
      late: s.late, alg: DEFAULT_ALG, key_id: config.LEDGER_KEY_ID, digest, signature: signDigest(signingKey, digest),
    });
    receipts.push({ market_id: m.id, business_day: s.day, region_code: m.regionCode, seal_digest: digest, received_at: closedAt });
    sealedThrough = s.day;
  }
  await insertRows(em, 'ledger_seals', seals);
  await insertRows(em, 'ledger_receipts', receipts);
  await em.query(
    `INSERT INTO ledger_heads (market_id, last_seq, last_hash, sealed_through) VALUES ($1, $2, $3, $4)
     ON CONFLICT (market_id) DO UPDATE SET last_seq = EXCLUDED.last_seq, last_hash = EXCLUDED.last_hash, sealed_through = EXCLUDED.sealed_through`,
    [m.id, seq, prev, sealedThrough]);
  return {
    entries: entries.length, seals: seals.length,
    rows: { workers: workers.length, employers: employers.length, posts: posts.length, check_ins: checkIns.length, placements: placements.length,
      compliance_refusals: refusals.length, worker_sanctions: sanctions.length, employer_flags: flags.length, ...extra },
  };
}
