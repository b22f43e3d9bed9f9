import { z } from 'zod';
import { line, multiline, nameText } from './text';
import { MOBILE_RE } from './privacy';
import { creditCodeValid, idCardValid } from './identity-numbers';
import { OCCUPATION_NAMES } from './occupations';
import { INDUSTRY_CODES } from './industries';

/** Minimal registration (R-B2): name and mobile only; everything else optional. Consent is required. */
export const registerWorkerSchema = z.strictObject({
  name: nameText(1, 30),
  mobile: z.string().regex(MOBILE_RE, { error: 'invalid_mobile' }),
  /** 实名制台账 (R-B3): optional, checksum-validated, stored encrypted. */
  idNumber: z.string().trim().toUpperCase().refine(idCardValid, { error: 'invalid_id_number' }).optional(),
  gender: z.enum(['male', 'female']).optional(),
  birthYear: z.number().int().min(1930).max(2015).optional(),
  /** 工种 from the dictionary (libs/domain occupations). */
  occupations: z.array(z.enum(OCCUPATION_NAMES, { error: 'unknown_occupation' })).max(10).default([]),
  skills: z.array(line(1, 20)).max(10).default([]),
  /** When the worker can work, in their words ("工作日白天", "周末"). */
  availability: line(0, 60).optional(),
  /** Home area (town, village or street), for distance in the candidate ranking. */
  homeArea: line(0, 60).optional(),
  homeLat: z.number().min(3).max(54).optional(),
  homeLng: z.number().min(73).max(136).optional(),
  consent: z.literal(true, { error: 'consent_required' }),
  /** Job push (推送, issue 18 §2; R-G11): matching new posts on the worker's own page and by SMS; off unless asked for. */
  jobPush: z.boolean().default(false),
});
export type RegisterWorkerInput = z.infer<typeof registerWorkerSchema>;

export const workerQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
  sort: z.string().regex(/^-?[a-zA-Z]{1,40}$/).optional(),
  q: line(0, 30).optional(),
  marketId: z.string().uuid().optional(),
  mobile: z.string().regex(MOBILE_RE, { error: 'invalid_mobile' }).optional(),
});

export const revealSchema = z.strictObject({ field: z.enum(['mobile', 'idNumber']) });

export interface WorkerView {
  id: string; tenantId: string; marketId: string; marketName: string | null; name: string;
  /** Masked (138****1234); the full value only through an audited reveal. */
  mobile: string; idNumber: string | null; gender: 'male' | 'female' | null; birthYear: number | null;
  occupations: string[]; skills: string[]; availability: string | null; homeArea: string | null;
  status: 'active' | 'removed'; source: 'desk' | 'qr' | 'import' | 'online'; jobPush: boolean; completed: number; noShows: number; hardshipTier: number;
  lastSeenOn: string | null; consentAt: string; createdAt: string;
}

/** Employers (用工主体): a company with its unified social credit code, or an individual. */
export const createEmployerSchema = z
  .strictObject({
    kind: z.enum(['company', 'individual']),
    name: nameText(2, 100),
    creditCode: z.string().trim().toUpperCase().refine(creditCodeValid, { error: 'invalid_credit_code' }).optional(),
    contactName: nameText(1, 30),
    contactPhone: z.string().regex(MOBILE_RE, { error: 'invalid_mobile' }),
    address: line(0, 200).optional(),
    /** The employer's industry: a GB/T 4754—2017 section A–T (issue 14: demand by industry in the monthly analysis). */
    industry: z.enum(INDUSTRY_CODES, { error: 'employer_industry' }).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'company' && !v.creditCode) ctx.addIssue({ code: 'custom', path: ['creditCode'], message: 'credit_code_required' });
  });
export type CreateEmployerInput = z.infer<typeof createEmployerSchema>;

/** R-B6: staff verify an employer against evidence (licence seen, site visited…) before its posts go out. */
export const verifyEmployerSchema = z.strictObject({
  decision: z.enum(['verified', 'rejected']),
  evidence: multiline(4, 1000),
  attachments: z.array(z.string().regex(/^[0-9a-f]{64}$/)).max(10).default([]),
});

export const employerQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
  q: line(0, 50).optional(),
  status: z.enum(['pending', 'verified', 'rejected']).optional(),
});

export interface EmployerView {
  id: string; tenantId: string; marketId: string; kind: 'company' | 'individual'; name: string; creditCode: string | null;
  contactName: string; contactPhone: string; address: string | null; industry: string | null; status: 'pending' | 'verified' | 'rejected';
  evidence: string | null; verifiedAt: string | null; createdAt: string;
  /** Open non-payment reports and wage-arrears referrals (R-B8); shown to post reviewers as a red flag. */
  openFlags: number;
}
