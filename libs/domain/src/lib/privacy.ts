/** Mainland mobile numbers: 11 digits starting with 1[3-9]. */
export const MOBILE_RE = /^1[3-9]\d{9}$/;

/** 13812341234 → 138****1234 (DESIGN.md "Personal data"). */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  if (phone.length < 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}
