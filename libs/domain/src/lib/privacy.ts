/** Mainland mobile numbers: 11 digits starting with 1[3-9]. */
export const MOBILE_RE = /^1[3-9]\d{9}$/;

/** 13812341234 → 138****1234 (DESIGN.md "Personal data"). */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  if (phone.length < 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}

/** A phone number as typed ("138 0013 8000", "+86 138-0013-8000", full-width digits) reduced to its digits (11 for a mobile). */
export function normaliseMobile(text: string): string {
  const digits = text.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\D/g, '');
  return digits.length === 13 && digits.startsWith('86') ? digits.slice(2) : digits;
}

/** 王小明 → 王** : a name shown to someone who may not know whose it is (public pages). */
export function maskName(name: string): string {
  return name.length <= 1 ? name : name[0] + '*'.repeat(Math.min(name.length - 1, 2));
}
