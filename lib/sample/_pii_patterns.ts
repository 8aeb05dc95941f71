/**
 * The candidate finders and validators behind `detectPii()`: one function per
 * PII type, each returning every plausible span it sees in a text. Overlaps
 * between types are resolved by `detectPii()`, not here.
 *
 * Every finder is a pure function of the text. Offsets are UTF-16 code-unit
 * offsets, as JavaScript strings index them.
 *
 * @module
 */

/**
 * The PII types the anonymiser knows, in placeholder order.
 *
 * @example
 * ```ts
 * import { PII_TYPES } from "./_pii_patterns.ts";
 * if (!PII_TYPES.includes("email")) throw new Error();
 * ```
 */
export const PII_TYPES = [
  "email",
  "phone",
  "card",
  "ipv4",
  "ipv6",
  "secret",
  "iban",
  "ssn",
  "address",
] as const;
/** One PII type. */
export type PiiType = typeof PII_TYPES[number];

/** A candidate span found by one finder. */
export interface Candidate {
  type: PiiType;
  start: number;
  end: number;
  /** Lower wins when candidates overlap. */
  rank: number;
  /**
   * A shape that is not PII but must not be cut into either (an IBAN-shaped value
   * whose checksum fails): it wins overlaps like a candidate and is then dropped,
   * so that no other type masks a part of it.
   */
  veto?: boolean;
}

// ---------------------------------------------------------------------------
// Validators

/** Whether a digit string passes the Luhn check. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** IBAN lengths per country (SWIFT IBAN registry). */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BI: 27,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DJ: 27,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FK: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HN: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  LY: 25,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MN: 20,
  MR: 27,
  MT: 31,
  MU: 30,
  NI: 28,
  NL: 18,
  NO: 15,
  OM: 23,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  RU: 33,
  SA: 24,
  SC: 31,
  SD: 18,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  SO: 23,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
  YE: 30,
}; // deno-fmt-ignore

/** Whether a compact, upper-case IBAN has its country's length and a valid mod-97 checksum. */
export function ibanValid(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) return false;
  if (IBAN_LENGTHS[iban.slice(0, 2)] !== iban.length) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const value = code >= 65 ? String(code - 55) : ch;
    for (const digit of value) rest = (rest * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return rest === 1;
}

/** Whether dotted-decimal text is an IPv4 address (four octets 0–255, no leading zeros). */
export function ipv4Valid(text: string): boolean {
  const parts = text.split(".");
  return parts.length === 4 &&
    parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

/**
 * The eight 16-bit groups of an IPv6 address in canonical lower-case, unpadded
 * form, or `undefined` when the text is not one. Accepts `::` compression and a
 * dotted IPv4 tail.
 */
export function ipv6Groups(text: string): string[] | undefined {
  let body = text.toLowerCase();
  const tail: string[] = [];
  const v4 = /(?:^|:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(body);
  if (v4) {
    if (!ipv4Valid(v4[1])) return undefined;
    const o = v4[1].split(".").map(Number);
    tail.push(((o[0] << 8) | o[1]).toString(16), ((o[2] << 8) | o[3]).toString(16));
    body = body.slice(0, body.length - v4[1].length);
    if (body === "") return undefined;
    // drop the ":" before the IPv4 part unless it is half of a "::"
    if (!body.endsWith("::")) body = body.slice(0, -1);
  }
  if (body.includes(".")) return undefined;
  const halves = body.split("::");
  if (halves.length > 2) return undefined;
  const parse = (s: string): string[] | undefined => {
    if (s === "") return [];
    const groups = s.split(":");
    return groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))
      ? groups.map((g) => g.replace(/^0+(?=.)/, ""))
      : undefined;
  };
  const head = parse(halves[0]);
  if (head === undefined) return undefined;
  if (halves.length === 1) {
    const all = [...head, ...tail];
    return all.length === 8 ? all : undefined;
  }
  const rest = parse(halves[1]);
  if (rest === undefined) return undefined;
  const known = head.length + rest.length + tail.length;
  if (known > 7) return undefined;
  return [...head, ...Array(8 - known).fill("0"), ...rest, ...tail];
}

/** Whether `area-group-serial` is a possible US SSN (area not 000, 666 or 9xx; group not 00; serial not 0000). */
export function ssnValid(area: string, group: string, serial: string): boolean {
  return /^\d{3}$/.test(area) && /^\d{2}$/.test(group) && /^\d{4}$/.test(serial) &&
    area !== "000" && area !== "666" && area[0] !== "9" && group !== "00" &&
    serial !== "0000";
}

/** Shannon entropy of the text's characters, in bits per character. */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  const n = [...text].length;
  for (const c of counts.values()) {
    const p = c / n;
    h -= p * Math.log2(p);
  }
  return h;
}

// ---------------------------------------------------------------------------
// Shared helpers

function* matches(re: RegExp, text: string): Generator<RegExpExecArray> {
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    yield m;
    if (m[0].length === 0) re.lastIndex++;
  }
}

/** A regex alternation in which each word's first letter matches either case. */
function words(list: readonly string[]): string {
  return list
    .map((w) => {
      const first = w[0];
      const rest = w.slice(1).replace(/[.]/g, "\\.");
      return first.toLowerCase() !== first.toUpperCase()
        ? `[${first.toUpperCase()}${first.toLowerCase()}]${rest}`
        : first + rest;
    })
    .join("|");
}

/** A regex alternation of the words, every letter matching either case. */
function anyCase(list: readonly string[]): string {
  return list
    .map((w) =>
      [...w].map((ch) =>
        ch.toLowerCase() !== ch.toUpperCase()
          ? `[${ch.toUpperCase()}${ch.toLowerCase()}]`
          : ch.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")
      ).join("")
    )
    .join("|");
}

// ---------------------------------------------------------------------------
// Email

/** RFC 5322 dot-atom local part, with RFC 6531's UTF-8 letters. */
const EMAIL_DOT_ATOM = String
  .raw`[\p{L}\p{N}](?:[\p{L}\p{M}\p{N}._%+\-'!#$&*/=?^{|}~]{0,62}[\p{L}\p{M}\p{N}_%+\-])?`;
/** RFC 5322 quoted-string local part: `"john doe"@…`, backslash escapes allowed. */
const EMAIL_QUOTED = String.raw`"(?:[^"\\\r\n]|\\.){1,62}"`;
/** A domain label: ASCII, an IDNA A-label (`xn--…`) or RFC 6531 UTF-8 letters. */
const EMAIL_LABEL = String.raw`[\p{L}\p{N}](?:[\p{L}\p{M}\p{N}\-]{0,61}[\p{L}\p{M}\p{N}])?`;
const EMAIL_TLD = String.raw`(?:[A-Za-z]{2,24}|xn--[A-Za-z0-9\-]{2,59}|\p{L}[\p{L}\p{M}]{1,23})`;
const EMAIL_DOMAIN = String.raw`(?:(?:${EMAIL_LABEL}\.)+${EMAIL_TLD}|\[\d{1,3}(?:\.\d{1,3}){3}\])`;
const EMAIL = new RegExp(
  String.raw`(?:(?<![\p{L}\p{N}._%+\-'])${EMAIL_DOT_ATOM}|${EMAIL_QUOTED})@${EMAIL_DOMAIN}` +
    String.raw`(?![\p{L}\p{M}\p{N}_\-]|\.[\p{L}\p{N}])`,
  "gu",
);

/**
 * Email addresses (RFC 5322 addr-spec with RFC 6531 internationalisation): a
 * dot-atom or quoted local part, `@`, then a domain of two or more labels
 * (ASCII, `xn--` A-labels or UTF-8 letters) or a bracketed IPv4 literal.
 */
export function findEmails(text: string): Candidate[] {
  return [...matches(EMAIL, text)].map((m) => ({
    type: "email",
    start: m.index,
    end: m.index + m[0].length,
    rank: 1,
  }));
}

// ---------------------------------------------------------------------------
// Secrets

const PREFIXED_SECRET = new RegExp(
  String.raw`(?<![\p{L}\p{N}_\-])(?:` +
    [
      String.raw`sk-(?:proj-|ant-(?:api\d\d-)?|live-|test-)?[A-Za-z0-9_\-]{16,}`,
      String.raw`(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}`,
      String.raw`(?:AKIA|ASIA)[0-9A-Z]{16}`,
      String.raw`gh[pousr]_[A-Za-z0-9]{36,}`,
      String.raw`github_pat_[A-Za-z0-9_]{22,}`,
      String.raw`glpat-[A-Za-z0-9_\-]{20,}`,
      String.raw`xox[baprs]-[A-Za-z0-9\-]{10,}`,
      String.raw`AIza[0-9A-Za-z_\-]{35}`,
      String.raw`hf_[A-Za-z0-9]{30,}`,
      String.raw`npm_[A-Za-z0-9]{36}`,
      String.raw`eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}`,
    ].join("|") +
    String.raw`)(?![\p{L}\p{N}_\-])`,
  "gu",
);

const BEARER = /(?<![\p{L}\p{N}_])[Bb](?:earer|EARER)[ \t]+([A-Za-z0-9\-._~+/]+=*)/gu;

const KEY_CONTEXT = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:${
    anyCase([
      "api key",
      "api-key",
      "api_key",
      "apikey",
      "access key",
      "secret",
      "token",
      "password",
    ])
  }|[A-Z][A-Z0-9_]*(?:KEY|TOKEN|SECRET))` +
    String.raw`(?:[ \t]+(?:is|was|of|=|:)|[ \t]*[:=])?[ \t]*["']?([A-Za-z0-9_\-+/=.]{12,})`,
  "gu",
);

/** A password after a password word: any run of non-space characters. */
const PASSWORD_CONTEXT = new RegExp(
  String.raw`(?<![\p{L}])(?:${
    anyCase([
      "password",
      "passwd",
      "pwd",
      "passcode",
      "passwort",
      "kennwort",
      "contraseña",
      "senha",
    ])
  }|mot de passe)(?:[ \t]+(?:is|was|ist|es|é)[ \t]+|[ \t]*[:=][ \t]*)["']?(\S{6,64})`,
  "gu",
);

/** A run of base64/hex/url-safe characters; "=" only as padding, so `NAME=value` splits. */
const TOKEN = /(?<![A-Za-z0-9_\-+/.])[A-Za-z0-9_\-+/.]{32,}={0,2}/g;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Trim sentence punctuation off a token's end (a final '.' or ',' is not part of it). */
function trimToken(token: string): string {
  return token.replace(/[.,]+$/, "");
}

/**
 * The share of a token's characters that sit in word-like pieces: runs of
 * letters (split at case changes, digits and punctuation) of three or more
 * letters with a plausible share of vowels (25–70 %) and no five consonants
 * in a row. High for identifiers and paths ("InvoiceReminderV3Final",
 * "ERR_RATE_LIMIT"), low for random strings.
 */
export function wordShare(token: string): number {
  const pieces = token.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+/g) ?? [];
  let wordy = 0;
  let total = 0;
  for (const piece of pieces) {
    total += piece.length;
    if (piece.length < 3 || !/^(?:[A-Z]?[a-z]+|[A-Z]+)$/.test(piece)) continue;
    const vowels = (piece.match(/[aeiouy]/gi) ?? []).length / piece.length;
    if (vowels >= 0.25 && vowels <= 0.7 && !/[^aeiouy]{5}/i.test(piece)) wordy += piece.length;
  }
  return total === 0 ? 0 : wordy / total;
}

/**
 * Whether a token looks like a random secret rather than a word, path or id.
 * The rule: at least `minLength` characters; not a UUID; then either hex-only
 * (one case) with a digit, a letter and Shannon entropy ≥ 3.0 bits/char, or at
 * least two of upper case, lower case and digits, entropy ≥ 3.5 bits/char and
 * less than 60 % of its characters in word-like pieces ({@link wordShare}).
 * Random base64/alphanumeric tokens of 32 characters pass about 98–100 % of
 * the time; identifiers, file paths, URLs and long words do not.
 */
export function looksRandom(token: string, minLength = 32): boolean {
  if (token.length < minLength || UUID.test(token)) return false;
  const upper = /[A-Z]/.test(token);
  const lower = /[a-z]/.test(token);
  const digit = /\d/.test(token);
  if (/^[0-9a-f]+$/.test(token) || /^[0-9A-F]+$/.test(token)) {
    return digit && /[a-f]/i.test(token) && shannonEntropy(token) >= 3.0;
  }
  if (Number(upper) + Number(lower) + Number(digit) < 2) return false;
  return shannonEntropy(token) >= 3.5 && wordShare(token) < 0.6;
}

/**
 * API keys and tokens: known prefixes (`sk-`, `sk-proj-`, `AKIA`, `ghp_`, `xoxb-`, …),
 * JWTs, the token after `Bearer`, the value after a key-ish name (`API key`,
 * `token`, `FOO_KEY=`) when it is ≥ 12 characters with letters and digits, and
 * any other token that {@link looksRandom}.
 */
export function findSecrets(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of matches(PREFIXED_SECRET, text)) {
    out.push({ type: "secret", start: m.index, end: m.index + m[0].length, rank: 0 });
  }
  for (const m of matches(BEARER, text)) {
    const token = trimToken(m[1]);
    const ok = (token.length >= 8 && /\d/.test(token) && /[A-Za-z]/.test(token)) ||
      (token.length >= 20 && /[A-Z]/.test(token) && /[a-z]/.test(token));
    if (!ok) continue;
    const start = m.index + m[0].length - m[1].length;
    out.push({ type: "secret", start, end: start + token.length, rank: 0 });
  }
  for (const m of matches(KEY_CONTEXT, text)) {
    const token = trimToken(m[1]);
    if (token.length < 12 || !/\d/.test(token) || !/[A-Za-z]/.test(token)) continue;
    if (shannonEntropy(token) < 3.0 || UUID.test(token)) continue;
    const start = m.index + m[0].length - m[1].length;
    out.push({ type: "secret", start, end: start + token.length, rank: 0 });
  }
  for (const m of matches(PASSWORD_CONTEXT, text)) {
    const token = m[1].replace(/[.,;)!?]+$/, "");
    if (token.length < 6 || !/[\d\W_]|[A-Z].*[a-z]|[a-z].*[A-Z]/u.test(token)) continue;
    const start = m.index + m[0].length - m[1].length;
    out.push({ type: "secret", start, end: start + token.length, rank: 0 });
  }
  for (const m of matches(TOKEN, text)) {
    const token = trimToken(m[0]);
    // hex alone, without a key word before it, is a digest: a git SHA, a checksum, a trace id
    if (/^[0-9a-f]+$/i.test(token) || !looksRandom(token)) continue;
    out.push({ type: "secret", start: m.index, end: m.index + token.length, rank: 9 });
  }
  return out;
}

// ---------------------------------------------------------------------------
// IBAN

const IBAN_START = /(?<![\p{L}\p{N}_])([A-Za-z]{2})(\d{2})/gu;

/**
 * IBANs: a known country code, two check digits and the country's length of
 * alphanumerics, compact or grouped by single spaces or dashes, passing mod-97.
 * A value of that shape whose checksum fails is returned as a veto: it is not
 * masked, and no other type may mask a part of it (`GI75 NWBK 0000 …` is not a
 * phone number).
 */
export function findIbans(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of matches(IBAN_START, text)) {
    const country = m[1].toUpperCase();
    const length = IBAN_LENGTHS[country];
    if (length === undefined) continue;
    let compact = country + m[2];
    let i = m.index + 4;
    while (compact.length < length && i < text.length) {
      const ch = text[i];
      if (/[A-Za-z0-9]/.test(ch)) {
        compact += ch.toUpperCase();
        i++;
      } else if ((ch === " " || ch === "-") && /[A-Za-z0-9]/.test(text[i + 1] ?? "")) {
        i++;
      } else break;
    }
    if (compact.length !== length) continue;
    if (/[\p{L}\p{N}_]/u.test(text[i] ?? "")) continue;
    // grouped, it is printed in fours: every group but the last has four characters
    const groups = text.slice(m.index, i).split(/[ \-]/);
    if (groups.length > 1 && groups.slice(0, -1).some((g) => g.length !== 4)) continue;
    if (ibanValid(compact)) out.push({ type: "iban", start: m.index, end: i, rank: 2 });
    else out.push({ type: "iban", start: m.index, end: i, rank: 2.5, veto: true });
  }
  return out;
}

// ---------------------------------------------------------------------------
// Cards

/** A run of digits grouped by single spaces or dashes; a `#123` reference before it is not part of it. */
const DIGIT_RUN =
  /(?<![\p{L}\p{N}_+\-.,/#]|[A-Za-z]{2}\d{2}[ \-])\d(?:[ \-]?\d)+(?![\p{L}\p{N}_]|[.,/]\d)/gu;

/** Issuer prefixes (IIN ranges) and the lengths each network issues, per ISO/IEC 7812 and the networks. */
const CARD_IINS: readonly [prefixes: RegExp, lengths: readonly number[]][] = [
  [/^4/, [13, 16, 19]], // Visa
  [/^(?:5[1-5]|222[1-9]|22[3-9]\d|2[3-6]\d\d|27[01]\d|2720)/, [16]], // Mastercard
  [/^3[47]/, [15]], // American Express
  [/^(?:6011|64[4-9]|65)/, [16, 17, 18, 19]], // Discover
  [/^35(?:2[89]|[3-8]\d)/, [16, 17, 18, 19]], // JCB 3528–3589
  [/^(?:30[0-5]|3095|36|3[89])/, [14, 15, 16, 17, 18, 19]], // Diners Club
  [/^(?:5018|5020|5038|5893|6304|6759|676[1-3])/, [12, 13, 14, 15, 16, 17, 18, 19]], // Maestro
  [/^62/, [16, 17, 18, 19]], // UnionPay
  [/^1/, [15]], // UATP
  [/^220[0-4]/, [16, 17, 18, 19]], // Mir
];

/** Whether a digit string has a card network's issuer prefix and one of its lengths. */
export function cardIinValid(number: string): boolean {
  return CARD_IINS.some(([prefix, lengths]) =>
    prefix.test(number) && lengths.includes(number.length)
  );
}

/**
 * Payment card numbers: 12–19 digits, optionally grouped by single spaces or
 * dashes, with a network's issuer prefix and length ({@link cardIinValid}: Visa,
 * Mastercard incl. 2221–2720, Amex, Discover, JCB, Diners, Maestro, UnionPay,
 * UATP, Mir) and a valid Luhn digit. A grouped digit run of at most 19 digits is
 * one number, valid as a whole or not at all; a longer run is a card only from
 * its first group ("4111 1111 1111 1111 2028": the card, then the expiry),
 * never carved out of the middle of a longer number (a tracking number).
 */
export function findCards(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of matches(DIGIT_RUN, text)) {
    const run = m[0];
    // the run's groups as [start, end) offsets within the run
    const groups: [number, number][] = [];
    for (const g of run.matchAll(/\d+/g)) groups.push([g.index, g.index + g[0].length]);
    const total = run.length - (run.match(/[ \-]/g) ?? []).length;
    for (let a = 0; a < groups.length; a++) {
      // a run of card length is one number: valid as a whole or not at all; a longer
      // run holds a card from its first group, or as one unseparated group of 12+
      const single = groups[a][1] - groups[a][0] >= 12;
      if (a > 0 && !single) continue;
      let best = -1;
      let digits = 0;
      for (let b = a; b < groups.length; b++) {
        digits += groups[b][1] - groups[b][0];
        if (digits > 19 || (a > 0 && b > a)) break;
        if (total <= 19 && b < groups.length - 1) continue;
        const number = run.slice(groups[a][0], groups[b][1]).replace(/\D/g, "");
        if (cardIinValid(number) && luhnValid(number)) best = b;
      }
      if (best < 0) continue;
      out.push({
        type: "card",
        start: m.index + groups[a][0],
        end: m.index + groups[best][1],
        rank: 4,
      });
      while (a + 1 < groups.length && groups[a + 1][0] < groups[best][1]) a++;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// SSN

const SSN_DASHED =
  /(?<![\p{L}\p{N}_\-/.])(\d{3})([\-.])(\d{2})\2(\d{4})(?![\p{L}\p{N}_]|[\-/.]\d)/gu;
const SSN_WORD = String.raw`SSN|ssn|Ssn|[Ss]ocial [Ss]ecurity(?: [Nn](?:umber|o\.?))?` +
  String.raw`|[Ss]oc\.? [Ss]ec\.?`;
const SSN_CONTEXT = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:${SSN_WORD})[^\d\n]{0,16}` +
    String.raw`(?<![\p{N}])(\d{3})([ .]?)(\d{2})\2(\d{4})(?![\p{L}\p{N}_]|[\-/.]\d)`,
  "gu",
);

/**
 * US Social Security numbers: `AAA-GG-SSSS` or `AAA.GG.SSSS` anywhere, and `AAA GG SSSS` or nine
 * bare digits right after "SSN" or "social security (number)"; area not 000,
 * 666 or 9xx, group not 00, serial not 0000.
 */
export function findSsns(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of matches(SSN_DASHED, text)) {
    if (!ssnValid(m[1], m[3], m[4])) continue;
    out.push({ type: "ssn", start: m.index, end: m.index + m[0].length, rank: 5 });
  }
  for (const m of matches(SSN_CONTEXT, text)) {
    if (!ssnValid(m[1], m[3], m[4])) continue;
    const value = m[1] + m[2] + m[3] + m[2] + m[4];
    const end = m.index + m[0].length;
    out.push({ type: "ssn", start: end - value.length, end, rank: 5 });
  }
  return out;
}

// ---------------------------------------------------------------------------
// IP addresses

const IPV4 = /(?<![\p{L}\p{N}_.\-])(\d{1,3}(?:\.\d{1,3}){3})(?![\p{L}\p{N}_]|\.\d)/gu;
const VERSION_BEFORE =
  /(?:^|[^\p{L}])(?:version|ver|v|build|release|firmware|update|app|sdk|api|node|deno|python|chrome|safari|ios|android|macos|windows)\.?[ \t]*[:#]?[ \t]*$/iu;

/**
 * IPv4 addresses: four dot-separated octets 0–255 without leading zeros, not part
 * of a longer dotted number, and not right after a word that makes it a version
 * ("version 10.2.0.1", "Chrome 120.0.6099.109").
 */
export function findIpv4s(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of matches(IPV4, text)) {
    if (!ipv4Valid(m[1])) continue;
    if (VERSION_BEFORE.test(text.slice(Math.max(0, m.index - 24), m.index))) continue;
    out.push({ type: "ipv4", start: m.index, end: m.index + m[0].length, rank: 6 });
  }
  return out;
}

const IPV6 = /(?<![\p{L}\p{N}_:.])[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(?![\p{L}\p{N}_])/gu;

/** Words after which a bare `::` is the unspecified address, not a scope operator. */
const IP_WORD_BEFORE =
  /(?:^|[^\p{L}])(?:address|addr|ip|ipv6|listen(?:s|ing)?(?: on)?|bind(?:s)?(?: to)?|bound to|host|route|on)[ \t:=]*$/iu;

/** Whether a compressed form is specific enough to be an address in running text. */
function compressedOk(text: string, value: string, start: number, end: number): boolean {
  const groups = value.split(/:+/).filter((g) => g !== "");
  if (value === "::") {
    // the unspecified address: in brackets, with a prefix length, or after an IP word
    const before = text.slice(Math.max(0, start - 24), start);
    return (text[start - 1] === "[" && text[end] === "]") || /^\/\d/.test(text.slice(end)) ||
      IP_WORD_BEFORE.test(before);
  }
  if (value.startsWith("::")) return true; // ::1, ::ffff:192.0.2.1, ::a:b
  if (groups.length === 1) return groups[0].length >= 3; // fe80::, 2001::
  return groups.some((g) => g.length >= 3);
}

/**
 * IPv6 addresses (RFC 4291 §2.2 text forms): eight groups, or fewer with one
 * `::`, optionally ending in a dotted IPv4 address; a zone id (`%eth0`), prefix
 * length (`/64`) or port (`]:443`) after it stays outside the span. To keep clock
 * times (10:30:15), MAC addresses (six groups) and `Foo::bar` out, a match needs
 * a digit (bare `::` aside) and, when compressed and not starting with `::`, a
 * group of three or more characters; bare `::` counts only in brackets, with a
 * prefix length or after an IP word ("listen on ::").
 */
export function findIpv6s(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of matches(IPV6, text)) {
    let value = m[0];
    // a sentence's '.' or ':' after the address is not part of it
    while (/[.:]$/.test(value) && !value.endsWith("::")) value = value.slice(0, -1);
    while (value.startsWith(":") && !value.startsWith("::")) value = value.slice(1);
    const start = m.index + m[0].indexOf(value);
    const end = start + value.length;
    if ((!/\d/.test(value) && value !== "::") || ipv6Groups(value) === undefined) continue;
    if (value.includes("::") && !compressedOk(text, value, start, end)) continue;
    out.push({ type: "ipv6", start, end, rank: 3 });
  }
  return out;
}

// ---------------------------------------------------------------------------
// Phones

/** Not inside a longer number, though a `#123 ` reference may stand right before. */
const LEFT = String.raw`(?<![\p{L}\p{N}_+\-./#$€£¥]|(?<!#\d{0,12})\d[ .\-])`;
const RIGHT = String.raw`(?![\p{L}\p{N}_]|[.\-/:,]\d)`;

/** `+CC` then groups separated by spaces, dots, dashes; a group may sit in parentheses. */
const PHONE_INTL = new RegExp(
  String.raw`(?<![\p{L}\p{N}_+\-./#$€£¥])\+\d{1,3}` +
    String.raw`(?:[ .\-]?\(\d{1,4}\))?[ .\-]?\d{1,14}(?:[ .\-]\d{1,14}){0,6}` + RIGHT,
  "gu",
);
/** `00CC` international prefix with separated groups. */
const PHONE_00 = new RegExp(
  LEFT + String.raw`00[1-9]\d{0,2}(?:[ .\-](?:\(\d{1,4}\)|\d{1,8})){2,7}` + RIGHT,
  "gu",
);
/** North American: (415) 555-0132, 415-555-0132, 415.555.0132, 1-415-555-0132. */
const PHONE_NANP = new RegExp(
  LEFT +
    String.raw`(?:1[ .\-])?(?:\([2-9]\d{2}\)[ .\-]?|[2-9]\d{2}[ .\-])[2-9]\d{2}[ .\-]\d{4}` +
    RIGHT,
  "gu",
);
/**
 * An area code in parentheses, optionally after trunk 7/8 (RU, BY, KZ), then two
 * or more groups: (11) 96123-4567 (BR), 8 (912) 345-67-89 (RU).
 */
const PHONE_PAREN = new RegExp(
  LEFT + String.raw`(?:[78][ .\-]?)?\(\d{2,5}\)[ .\-]?\d{2,5}(?:[ .\-]\d{2,4}){1,3}` + RIGHT,
  "gu",
);
/** Chinese mobile numbers grouped 3-4-4 (1[3-9]x xxxx xxxx, MIIT numbering plan). */
const PHONE_CN = new RegExp(LEFT + String.raw`1[3-9]\d[ \-]\d{4}[ \-]\d{4}` + RIGHT, "gu");
/** An extension after a number: "ext. 204", "x204", "extn 12". */
const EXTENSION = /^[ \t]*,?[ \t]*(?:ext\.?|extn\.?|extension|x|#)[ \t]?\d{1,6}(?![\p{L}\p{N}])/iu;
/** National with trunk 0 (UK, DE, FR, …): 020 7946 0958, 030/1234567, (030) 1234 5678, 06 12 34 56 78. */
const PHONE_TRUNK = new RegExp(
  LEFT +
    String.raw`(?:\(0\d{1,5}\)[ .\-/]?|0\d{1,5}[ .\-/])\d{2,8}(?:[ .\-]\d{2,8}){0,3}` + RIGHT,
  "gu",
);
const PHONE_WORDS = anyCase([
  "phone",
  "tel",
  "tel.",
  "telephone",
  "mobile",
  "cell",
  "call",
  "text",
  "whatsapp",
  "sms",
  "fax",
  "my number",
  "reach me",
  "handy",
  "telefon",
  "telefone",
  "teléfono",
  "téléphone",
  "portable",
  "appelez",
  "celular",
  "móvil",
  "cellulare",
]);
/** Phone words of scripts without spaces between words (CJK): no word boundary around them. */
const PHONE_WORDS_CJK = "手机|电话|電話|携帯|휴대폰|전화";
const PHONE_NUMBER = String.raw`\+?(?:\(\d{2,5}\)[ .\-]?)?\d{2,14}(?:[ .\-]\d{2,14}){0,5}`;
const PHONE_CONTEXT = new RegExp(
  String.raw`(?:(?<![\p{L}])(?:${PHONE_WORDS})\p{L}{0,4}(?![\p{L}])|${PHONE_WORDS_CJK})` +
    String.raw`[^\p{N}\n]{0,16}(?<![\p{N}])(${PHONE_NUMBER})` + RIGHT,
  "gu",
);
/** A number followed by "is my (cell) number / phone / whatsapp / mobile". */
const PHONE_CONTEXT_AFTER = new RegExp(
  LEFT + String.raw`(${PHONE_NUMBER})` + RIGHT +
    String.raw`(?=[ \t]*(?:[\-–—:,][ \t]*)?(?:is|=)?[ \t]*(?:my|our|the)[ \t]+` +
    String
      .raw`(?:\p{L}+[ \t]+)?(?:number|phone|cell|mobile|whatsapp|line|landline|fax)(?![\p{L}]))`,
  "giu",
);
const DATE_LIKE = /^\d{1,4}([.\-/ ])\d{1,2}\1\d{2,4}$/;

/** The most digits a number so written can have: 11 for +1, 15 (E.164) for +CC, 17 for 00CC, else 12. */
function maxPhoneDigits(value: string): number {
  if (/^\+1(?!\d)/.test(value)) return 11;
  if (value.startsWith("+")) return 15;
  return value.startsWith("00") ? 17 : 12;
}

function phoneOk(value: string, min = 8): boolean {
  const digits = value.replace(/\(0\)/, "").replace(/\D/g, "");
  if (digits.length < min || digits.length > 15) return false;
  if (DATE_LIKE.test(value)) return false;
  if (/^(\d)\1+$/.test(digits)) return false;
  return true;
}

/** A phone candidate, its span stretched over an extension right after it. */
function withExtension(text: string, start: number, end: number): Candidate {
  const ext = EXTENSION.exec(text.slice(end));
  return { type: "phone", start, end: end + (ext ? ext[0].length : 0), rank: 7 };
}

/**
 * Phone numbers: international (`+CC …`, `00CC …`), North American with area code,
 * and national numbers with a trunk 0 split into groups (UK, DE, FR, …), with
 * 8–15 digits; right after a phone word ("call", "mobile", "tel", …) also any
 * other grouping of 7–15 digits ("call 555-1234", "my number is 4155550132").
 * Never a date, never carved out of a longer digit sequence.
 */
export function findPhones(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const re of [PHONE_INTL, PHONE_00, PHONE_NANP, PHONE_PAREN, PHONE_CN, PHONE_TRUNK]) {
    for (const m of matches(re, text)) {
      let value = m[0];
      // drop trailing groups that cannot belong: beyond 15 digits (E.164), beyond
      // 11 for +1, or a lone digit ("call +1 415 555 0132 7 days a week")
      for (;;) {
        const cut = value.search(/[ .\-][^ .\-]*$/);
        if (cut <= 0) break;
        const digits = value.replace(/\(0\)/, "").replace(/\D/g, "").length;
        const last = value.slice(cut + 1).replace(/\D/g, "").length;
        const glued = /^[.\-/:,]\d/.test(text.slice(m.index + value.length));
        if (digits > maxPhoneDigits(value) || glued || (last < 2 && phoneOk(value.slice(0, cut)))) {
          value = value.slice(0, cut);
        } else break;
      }
      if (/^[.\-/:,]\d/.test(text.slice(m.index + value.length))) continue;
      if (!phoneOk(value)) continue;
      out.push(withExtension(text, m.index, m.index + value.length));
    }
  }
  for (const m of matches(PHONE_CONTEXT, text)) {
    if (!phoneOk(m[1], 7)) continue;
    const end = m.index + m[0].length;
    out.push(withExtension(text, end - m[1].length, end));
  }
  for (const m of matches(PHONE_CONTEXT_AFTER, text)) {
    if (!phoneOk(m[1], 7)) continue;
    out.push(withExtension(text, m.index, m.index + m[1].length));
  }
  return out;
}

// ---------------------------------------------------------------------------
// Street addresses

const NAME = String.raw`\p{Lu}[\p{L}'’\-]*\.?`;
const NUMBER = String.raw`\d{1,5}[A-Za-z]?(?:[\-/]\d{1,5}[A-Za-z]?)?`;
const EN_SUFFIX = words([
  "Street",
  "St.",
  "St",
  "Avenue",
  "Ave.",
  "Ave",
  "Road",
  "Rd.",
  "Rd",
  "Boulevard",
  "Blvd.",
  "Blvd",
  "Lane",
  "Ln.",
  "Ln",
  "Drive",
  "Dr.",
  "Dr",
  "Way",
  "Court",
  "Ct.",
  "Ct",
  "Place",
  "Pl.",
  "Pl",
  "Terrace",
  "Parkway",
  "Pkwy",
  "Highway",
  "Hwy",
  "Circle",
  "Square",
  "Sq",
  "Crescent",
  "Close",
  "Row",
  "Trail",
  "Gardens",
  "Grove",
  "Mews",
  "Loop",
  "Alley",
  // more USPS Publication 28 (appendix C1) suffixes and UK thoroughfare types
  ...[
    "Approach",
    "Bend",
    "Bluff",
    "Bottom",
    "Branch",
    "Bridge",
    "Brook",
    "Burg",
    "Bypass",
    "Camp",
    "Canyon",
    "Cape",
    "Causeway",
    "Center",
    "Centre",
    "Chase",
    "Cliff",
    "Club",
    "Common",
    "Corner",
    "Course",
    "Cove",
    "Creek",
    "Crest",
    "Croft",
    "Crossing",
    "Curve",
    "Dale",
    "Divide",
    "Drove",
    "End",
    "Estate",
    "Expressway",
    "Extension",
    "Falls",
    "Ferry",
    "Field",
    "Flat",
    "Fold",
    "Ford",
    "Forest",
    "Forge",
    "Fork",
    "Fort",
    "Freeway",
    "Garden",
    "Gate",
    "Gateway",
    "Glen",
    "Green",
    "Harbor",
    "Haven",
    "Heights",
    "Hill",
    "Hollow",
    "Inlet",
    "Island",
    "Isle",
    "Junction",
    "Key",
    "Knoll",
    "Lake",
    "Landing",
    "Light",
    "Lock",
    "Lodge",
    "Manor",
    "Mead",
    "Meadow",
    "Mill",
    "Mission",
    "Motorway",
    "Mount",
    "Mountain",
    "Neck",
    "Orchard",
    "Oval",
    "Parade",
    "Park",
    "Pass",
    "Path",
    "Pike",
    "Pine",
    "Plain",
    "Plaza",
    "Point",
    "Port",
    "Prairie",
    "Ranch",
    "Rapid",
    "Rest",
    "Ridge",
    "Rise",
    "River",
    "Route",
    "Run",
    "Shoal",
    "Shore",
    "Side",
    "Skyway",
    "Spring",
    "Spur",
    "Station",
    "Stream",
    "Summit",
    "Trace",
    "Track",
    "Turnpike",
    "Union",
    "Vale",
    "Valley",
    "Viaduct",
    "View",
    "Village",
    "Vista",
    "Walk",
    "Wharf",
    "Wynd",
    "Yard",
    "Radial",
    "Grange",
    "Garth",
    "Paddock",
    "Stravenue",
    "Throughway",
    "Underpass",
    "Esplanade",
    "Overpass",
    "Passage",
    "Wood",
    "Brae",
    "Copse",
    "Lea",
    "Brow",
    "Fall",
    "Broadway",
  ].flatMap((w) => [`${w}s`, w]),
]);
const UNIT = String.raw`(?:,?[ \t]*(?:${
  words(["Apt", "Apartment", "Suite", "Ste", "Unit", "Floor", "Fl", "Flat", "Room"])
})\.?[ \t]*#?[A-Za-z0-9\-]{1,6}|,?[ \t]*#[ \t]?\d{1,5}[A-Za-z]?)?`;
/** A place name of one or two capitalised words. */
const PLACE = String.raw`\p{Lu}[\p{L}\-]+(?:[ \t]+\p{Lu}[\p{L}\-]+)?`;
const TAIL = String.raw`(?:` +
  [
    // US: , City, ST 94103
    String.raw`,[ \t]*${NAME}(?:[ \t]+${NAME}){0,3},?[ \t]+[A-Z]{2}[ \t]+\d{5}(?:-\d{4})?`,
    // UK: , (City) NW1 6XE
    String.raw`,[ \t]*(?:${NAME}[ \t]+)?[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}`,
    // continental: , (D-)10117 Berlin / , 1100-148 Lisboa
    String.raw`,?[ \t]*(?:[A-Z]{1,2}-)?\d{4,5}(?:-\d{3})?[ \t]+${PLACE}`,
    // a lone locality closing the sentence: , Lisboa
    String.raw`,[ \t]*${PLACE}(?=[ \t]*(?:$|[\n.!?;]|[ \t][\-—–][ \t]))`,
  ].join("|") +
  String.raw`)?(?![\p{L}\p{N}])`;

const ADDRESS_EN = new RegExp(
  String.raw`(?<![\p{L}\p{N}_\-/.#$€£,])${NUMBER}[ \t]+` +
    String.raw`(?:(?:[NSEW]|NE|NW|SE|SW|North|South|East|West)\.?[ \t]+)?` +
    String.raw`(?:(?:\d{1,3}(?:st|nd|rd|th)|${NAME})[ \t]+){1,4}` +
    String
      .raw`(?:${EN_SUFFIX})s?(?![\p{L}\p{N}'’\-])(?:[ \t]+(?:NE|NW|SE|SW|N|S|E|W)(?![\p{L}\p{N}]))?` +
    UNIT + TAIL,
  "gu",
);
const DE_SUFFIX = "straße|strasse|str\\.|weg|gasse|platz|allee|damm|ufer|chaussee|ring|" +
  "steig|pfad|markt|graben|wall|" +
  // Dutch (straat, laan, plantsoen, …), Danish, Swedish
  "straat|gracht|plein|laan|park|plantsoen|singel|kade|dijk|dreef|hof|pad|steeg|baan|" +
  "vej|gade|gatan|gata|gränd|vägen";
const DE_WORD = "Straße|Strasse|Str\\.|Weg|Gasse|Platz|Allee|Ring|Damm|Ufer";
/** German "Am Markt 5", "An der Alster 12", Dutch "van de Veenplantsoen 3": a lead-in word. */
const DE_LEAD = "Am|An der|An den|Auf dem|Auf der|Im|In der|In den|Zum|Zur|Hinter der|Unter den";
const ADDRESS_DE = new RegExp(
  String
    .raw`(?<![\p{L}\p{N}])(?:(?:van (?:de |der |den )?|de |het |'t |\p{Lu}\p{L}+er[ \t]+)?\p{Lu}[\p{L}.\-]*?` +
    String.raw`(?:${DE_SUFFIX}|-(?:Str\.|Straße|Strasse|Weg|Platz|Allee|Gasse|Ring|Damm))|` +
    String.raw`\p{Lu}[\p{L}\-]+[ \t]+(?:${DE_WORD})|(?:${DE_LEAD})[ \t]+\p{Lu}[\p{L}\-]+)` +
    String.raw`[ \t]*${NUMBER}(?:[ \t]+(?:I{1,3}|IV|hs|bis))?(?![\p{L}\p{N}])` + TAIL,
  "gu",
);
const FR_WAY = words([
  "rue",
  "avenue",
  "av.",
  "boulevard",
  "bd",
  "place",
  "allée",
  "chemin",
  "impasse",
  "quai",
  "cours",
  "route",
  "passage",
  "square",
  "voie",
  "villa",
  "résidence",
  "cité",
  "sentier",
  "rond-point",
  "parvis",
]);
const FR_PARTICLE = String.raw`(?:de la|de l'|de l’|des|du|de|d'|d’|la|le|les|l'|l’|et|sur|aux)`;
const ADDRESS_FR = new RegExp(
  String.raw`(?<![\p{L}\p{N}_\-/.#$€£,])\d{1,4}(?:[ \t]?(?:bis|ter|[A-Za-z]))?,?[ \t]+` +
    String.raw`(?:${FR_WAY})[ \t]+(?:${FR_PARTICLE}[ \t]*)*${NAME}` +
    String.raw`(?:[ \t]+(?:${FR_PARTICLE}[ \t]*)*${NAME}){0,3}(?![\p{L}\p{N}])` + TAIL,
  "gu",
);
const SOUTH_WAY = [
  // Spanish street types (INE "tipos de vía")
  "Calle|C/|Avenida|Avda\\.|Av\\.|Paseo|Plaza|Camino|Carrer|Ronda|Glorieta|Travesía|Carretera",
  "Callejón|Cuesta|Bajada|Subida|Gran Subida|Pasaje|Rambla|Urbanización|Polígono|Barrio|Colonia",
  "Conjunto|Explanada|Jardines|Mercado|Monte|Senda|Solar|Terrenos|Masía|Colegio|Edificio|Grupo",
  "Lugar|Paraje|Partida|Poblado|Prolongación|Puente|Quinta|Sector|Vía|Arrabal|Aldea|Rincón|Salida",
  "Parcela|Lado|Entrada|Manzana|Muelle|Ramal|Rampa|Riera|Torrente|Escalinata|Chalet|Bloque",
  "Apartamento|Arroyo|Extramuros|Extrarradio|Municipio|Parque|Puerta|Barranco|Calleja|Caserío|Caserio",
  "Ferrocarril|Huerta|Pasadizo|Plazuela|Urbanización",
  // Portuguese
  "Rua|Travessa|Largo|Praça|Alameda|Estrada|Rodovia|Ladeira|Beco|Viela|Marginal|Avenida",
  // Italian (DUG, denominazione urbanistica generica)
  "Via|Viale|Piazza|Piazzale|Corso|Vicolo|Strada|Contrada|Borgo|Rotonda|Incrocio|Località",
  "Frazione|Traversa|Salita|Lungomare|Circonvallazione|Vico|Stradone|Galleria",
].join("|");
const SOUTH_PARTICLE = "de la|de los|de las|del|de|da|do|dos|das|di|della|delle|dei|degli";
const ADDRESS_SOUTH = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:${SOUTH_WAY})[ \t]+(?:(?:${SOUTH_PARTICLE})[ \t]+)*${NAME}` +
    String.raw`(?:[ \t]+(?:(?:${SOUTH_PARTICLE})[ \t]+)*${NAME}){0,3},?[ \t]+(?:n\.?º[ \t]*)?` +
    String.raw`(?:${NUMBER}(?![\p{L}\p{N}])|s/n\.?)` + TAIL,
  "gu",
);
/** A house number before a southern way type: "2160 Avenida Breno", "35 Rua Augusta". */
const ADDRESS_SOUTH_NUMBER_FIRST = new RegExp(
  String.raw`(?<![\p{L}\p{N}_\-/.#$€£,])${NUMBER},?[ \t]+(?:${SOUTH_WAY})[ \t]+` +
    String
      .raw`(?:(?:${SOUTH_PARTICLE})[ \t]+)*${NAME}(?:[ \t]+(?:(?:${SOUTH_PARTICLE})[ \t]+)*${NAME}){0,3}` +
    String.raw`(?![\p{L}\p{N}])` + TAIL,
  "gu",
);

/**
 * Street addresses where detectable: a house number, one to four capitalised
 * name words and an English street suffix ("221B Baker Street", "500 W 5th Ave
 * Suite 2"); a German/Dutch/Nordic street word and number ("Hauptstraße 5",
 * "Berliner Str. 12"); a French number and way ("12 rue de la Paix"); a
 * Spanish/Portuguese/Italian way, name and number ("Calle Mayor 10"). A
 * following city with a US ZIP, UK postcode or continental postcode is
 * included, and so is a lone capitalised locality that closes the sentence
 * ("Rua Augusta 88, Lisboa"). A final abbreviation dot ("Market St.") is left
 * outside the span, since it cannot be told from a full stop. All-lower-case
 * addresses ("12 main st") are not detected.
 */
export function findAddresses(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (
    const re of [ADDRESS_EN, ADDRESS_DE, ADDRESS_FR, ADDRESS_SOUTH, ADDRESS_SOUTH_NUMBER_FIRST]
  ) {
    for (const m of matches(re, text)) {
      // a final "St." dot cannot be told from a full stop: leave it in the text
      const length = m[0].endsWith(".") ? m[0].length - 1 : m[0].length;
      out.push({ type: "address", start: m.index, end: m.index + length, rank: 8 });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Normalisation (what makes two occurrences "the same value")

/** The key under which a value is compared with others of its type. */
export function normalizeValue(type: PiiType, value: string): string {
  switch (type) {
    case "email":
      return value.toLowerCase();
    case "phone": {
      // digits only; a North American number with or without its leading 1 is one number
      const digits = value.replace(/\(0\)/, "").replace(/\D/g, "");
      return digits.length === 11 && digits[0] === "1" ? digits.slice(1) : digits;
    }
    case "card":
    case "ssn":
      return value.replace(/\D/g, "");
    case "iban":
      return value.replace(/[^A-Za-z0-9]/g, "").toUpperCase();
    case "ipv6":
      return (ipv6Groups(value) ?? [value.toLowerCase()]).join(":");
    case "address":
      return value.toLowerCase().replace(/[.,]/g, "").replace(/\s+/g, " ").trim();
    case "ipv4":
    case "secret":
      return value;
  }
}
