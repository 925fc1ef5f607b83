import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';

/** Free-mail providers: an address there says nothing about the person's company. */
export const personalProviders: ReadonlySet<string> = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'yahoo.co.uk',
  'yahoo.fr',
  'yahoo.de',
  'ymail.com',
  'outlook.com',
  'hotmail.com',
  'hotmail.co.uk',
  'hotmail.fr',
  'live.com',
  'msn.com',
  'aol.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'gmx.com',
  'gmx.de',
  'gmx.net',
  'web.de',
  'mail.com',
  'protonmail.com',
  'proton.me',
  'pm.me',
  'yandex.ru',
  'yandex.com',
  'mail.ru',
  'qq.com',
  '163.com',
  '126.com',
  'zoho.com',
  'fastmail.com',
  'bigfoot.com',
  'comcast.net',
  'att.net',
  'verizon.net',
  'earthlink.net',
  'naver.com',
  'orange.fr',
  'free.fr',
  'libero.it',
  't-online.de',
]);

// Lower-case, no quotes, spaces, brackets, `+` or `mailto:`, one `@`, no dot at either end.
const plainEmail = /^[a-z0-9!#$%&*=?^_`{|}~-][a-z0-9!#$%&*=?^_`{|}~.-]*@[a-z0-9_-][a-z0-9_.-]*[a-z0-9_-]$/;

/**
 * The address a person is known by: lower-case, surrounding noise (quotes, angle brackets,
 * `mailto:`) removed, plus-addressing (`anna+crm@x.com`) folded onto the base address.
 */
export function normaliseEmail(raw: string | null | undefined): string | undefined {
  if (!raw) return undefined;
  // Most addresses are already in their normal form: nothing below would change them.
  if (plainEmail.test(raw)) return raw;
  let value = raw.trim().toLowerCase();
  const angle = /<([^>]+)>/.exec(value);
  if (angle?.[1]) value = angle[1];
  value = value.replace(/^mailto:/, '').replace(/^["'\s]+|["'\s.]+$/g, '');
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1) return undefined;
  let local = value.slice(0, at);
  const domain = value.slice(at + 1);
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  return `${local}@${domain}`;
}

export const emailDomain = (email: string): string => email.slice(email.lastIndexOf('@') + 1);

/** The domain and its parents down to two labels: mail.us.acme.com → us.acme.com → acme.com. */
export function domainRollUp(domain: string): string[] {
  const labels = domain.toLowerCase().split('.').filter(Boolean);
  const out: string[] = [];
  for (let i = 0; i <= labels.length - 2; i++) out.push(labels.slice(i).join('.'));
  return out;
}

export function isPersonalDomain(domain: string): boolean {
  return domainRollUp(domain).some((d) => personalProviders.has(d));
}

/**
 * A phone as E.164 when libphonenumber-js can read it (with a default region for national
 * numbers); otherwise its digits, so identifiers that are not phone numbers (a call centre's
 * customer id) still compare exactly. Undefined when there are fewer than 3 digits.
 */
export function normalisePhone(raw: string | null | undefined, defaultRegion: string): string | undefined {
  if (!raw) return undefined;
  const digits = raw.replace(/\D/g, '');
  if (digits.length < 3) return undefined;
  if (digits.length >= 7) {
    const parsed = parsePhoneNumberFromString(raw, defaultRegion as CountryCode);
    if (parsed?.isValid()) return parsed.number;
  }
  return digits;
}
