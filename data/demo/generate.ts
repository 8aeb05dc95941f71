/**
 * The seeded demo world: a fictional support assistant for "Ledgerly", a
 * small-business invoicing and payments SaaS. Writes prod logs with planted
 * PII, ten releases with latent per-dimension quality, an eval set drawn from
 * the logs, every release's responses to it (with the true scores), the
 * releases' prod metrics, two human raters' sheets and a held-out regression
 * set. Same seed, same bytes.
 *
 * ```sh
 * deno task demo:data            # writes data/demo/
 * deno run --allow-read --allow-write data/demo/generate.ts OUTDIR
 * ```
 *
 * data/demo/README.md documents the ground truth this file encodes.
 *
 * @module
 */
import { stringify } from "csv-stringify/sync";
import type { z } from "zod";
import {
  EvalItem,
  HumanRating,
  ProdLogRecord,
  RegressionCase,
  Release,
  Response,
} from "../../lib/schemas.ts";
import {
  ADDRESS,
  CLIENT_PARTS,
  CLOSERS,
  CLOSINGS,
  CONTEXTS,
  DRIFT,
  EXPECTED_BEHAVIOR,
  FILLERS,
  FOLLOW_UPS,
  GREETINGS,
  type Intent,
  INTENTS,
  JOINERS,
  LANG_EXTRAS,
  MISSPELLINGS,
  OPENERS_GENERIC,
  OPENERS_ON_TOPIC,
  PEOPLE,
  PII_PHRASES,
  PREFIXES,
  RATER_NOTES,
  SLOTS,
  STANCE_MARKERS,
  SUFFIXES,
  type Topic,
  TOPIC_MIX,
  TOPICS,
  type Translation,
  TRANSLATIONS,
} from "./_content.ts";

// ─── Ground truth ──────────────────────────────────────────────────────────

/** The world's seed. Every random draw descends from it. */
export const SEED = 20260601;

/** The five dimensions, in report order. */
export const DIMS = ["correctness", "relevance", "clarity", "calibration", "length"] as const;
/** One dimension. */
export type Dim = typeof DIMS[number];
/** One value per dimension. */
export type DimValues = Record<Dim, number>;

/** A release, its latent quality per dimension (1–5 floats) and how it errs on length. */
export interface ReleaseDef {
  release: string;
  date: string;
  model: string;
  prompt_version: string;
  latent: DimValues;
  /** Probability that an answer of the wrong length is too long rather than too short. */
  verbosity: number;
}

function def(
  release: string,
  date: string,
  model: string,
  prompt_version: string,
  q: [number, number, number, number, number],
  verbosity: number,
): ReleaseDef {
  const [correctness, relevance, clarity, calibration, length] = q;
  return {
    release,
    date,
    model,
    prompt_version,
    latent: { correctness, relevance, clarity, calibration, length },
    verbosity,
  };
}

/**
 * The ten releases. Latent quality moves in varied directions. The
 * release-to-release changes were chosen nearly orthogonal across dimensions
 * (a trend plus Hadamard sign patterns), so each dimension's link to the prod
 * metrics can be told apart; length moves independently of everything.
 */
export const RELEASES: readonly ReleaseDef[] = [
  def("r01", "2026-06-01", "mistral-small-ledgerly-v1", "p1", [2.9, 3.3, 3.0, 2.7, 3.2], 0.7),
  def("r02", "2026-06-09", "mistral-small-ledgerly-v1", "p2", [2.77, 3.66, 3.32, 3.14, 3.4], 0.8),
  def("r03", "2026-06-16", "mistral-small-ledgerly-v2", "p2", [3.24, 3.52, 3.24, 2.98, 3.8], 0.5),
  def("r04", "2026-06-24", "mistral-small-ledgerly-v2", "p3", [3.11, 3.38, 3.56, 2.82, 3.6], 0.6),
  def("r05", "2026-07-01", "mistral-medium-ledgerly-v1", "p3", [3.58, 3.74, 3.48, 3.26, 3.1], 0.85),
  def("r06", "2026-07-09", "mistral-medium-ledgerly-v1", "p4", [3.75, 3.85, 3.6, 3.4, 2.8], 0.9),
  def("r07", "2026-07-17", "mistral-medium-ledgerly-v2", "p4", [3.62, 3.71, 3.52, 3.84, 3.3], 0.5),
  def("r08", "2026-07-27", "mistral-medium-ledgerly-v2", "p5", [4.09, 4.07, 3.84, 3.68, 4.0], 0.3),
  def("r09", "2026-08-05", "mistral-medium-ledgerly-v3", "p5", [3.96, 4.43, 3.76, 3.52, 3.4], 0.7),
  def("r10", "2026-08-14", "mistral-large-ledgerly-v1", "p5", [4.43, 4.29, 4.08, 3.96, 2.9], 0.85),
];

/** A linear prod-metric model: `intercept + Σ coef[d]·(latent[d] − 3) + Normal(0, noise_sd)`. */
export interface MetricModel {
  intercept: number;
  coefficients: DimValues;
  noise_sd: number;
  decimals: number;
}

/** How latent quality drives each prod metric. Length has coefficient 0 in both. */
export const METRIC_MODEL: Readonly<Record<"thumbs_down_rate" | "tickets_per_1k", MetricModel>> = {
  thumbs_down_rate: {
    intercept: 0.11,
    coefficients: {
      correctness: -0.025,
      relevance: 0,
      clarity: -0.005,
      calibration: -0.018,
      length: 0,
    },
    noise_sd: 0.003,
    decimals: 4,
  },
  tickets_per_1k: {
    intercept: 6.5,
    coefficients: { correctness: -1.4, relevance: -1.1, clarity: -0.3, calibration: 0, length: 0 },
    noise_sd: 0.2,
    decimals: 2,
  },
};

/** The ideal answer length per topic, in words (`text.trim().split(/\s+/)`): length 5 inside. */
export const LENGTH_BANDS: Readonly<Record<Topic, readonly [number, number]>> = {
  billing: [60, 120],
  technical: [70, 140],
  account: [40, 90],
  other: [25, 60],
};

/** Ratio ranges (how far outside the band) that the writer aims at per length score below 5. */
const LENGTH_RATIOS: Record<number, [number, number]> = {
  4: [1.1, 1.3],
  3: [1.45, 1.75],
  2: [1.95, 2.5],
  1: [2.9, 3.6],
};

/** The release the two simulated human raters rated. */
export const RATED_RELEASE = "r10";

/** The simulated raters: rating = round(true score + bias + Normal(0, sd)), clamped to 1–5. */
export const RATERS: Readonly<Record<"ana" | "ben", { bias: number; sd: number }>> = {
  ana: { bias: 0, sd: 0.45 },
  ben: { bias: -0.4, sd: 0.8 },
};

/** Eval-set size per stratum (60/20/10/10 of 300). */
const EVAL_QUOTA: Record<Topic, number> = { billing: 180, technical: 60, account: 30, other: 30 };
/** The feedback set: prod answers with their reference facts, for the item-level validity check. */
const FEEDBACK_QUOTA: Record<Topic, number> = {
  billing: 900,
  technical: 300,
  account: 150,
  other: 150,
};
/** Rated items per stratum (55 in all: ana rates the first 50 drawn, ben the last 50). */
const RATING_QUOTA: Record<Topic, number> = { billing: 33, technical: 11, account: 6, other: 5 };
const RATED_PER_RATER = 50;
const REGRESSION_CASES = 30;
const LOG_START = Date.UTC(2026, 5, 1) / 1000;
const LOG_DAYS = 92;
const LOGS_PER_WEEKDAY = 74;
const RATES = {
  nonEnglish: 0.05,
  multiTurn: 0.11,
  pii: 0.16,
  nearMiss: 0.04,
  duplicate: 0.03,
  lowercase: 0.25,
  typo: 0.15,
  prefix: 0.07,
  suffix: 0.07,
  greeting: 0.35,
  closer: 0.3,
  contextWithSlots: 0.5,
  contextWithoutSlots: 0.85,
  reference: 0.5,
};
/** System-prompt tokens per prompt version (prompt_tokens = these + query chars / 4). */
const PROMPT_TOKENS: Record<string, number> = { p1: 240, p2: 410, p3: 380, p4: 455, p5: 430 };

// ─── Random numbers ────────────────────────────────────────────────────────

/** A seeded random stream. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  weighted<T>(items: readonly T[], weights: readonly number[]): T;
  normal(mean?: number, sd?: number): number;
  shuffle<T>(items: readonly T[]): T[];
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** sfc32 seeded through splitmix32: small, fast and good enough for synthetic data. */
function sfc32(seed: number): () => number {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split(), b = split(), c = split(), d = split();
  return () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
}

/**
 * A random stream for one part of the world, derived from {@link SEED} and a
 * label, so that changing one part does not shift the draws of another.
 */
export function makeRng(label: string, seed: number = SEED): Rng {
  const next = sfc32((seed ^ fnv1a(label)) >>> 0);
  for (let i = 0; i < 16; i++) next();
  const rng: Rng = {
    next,
    int: (n) => Math.floor(next() * n),
    range: (lo, hi) => lo + (hi - lo) * next(),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
    weighted(items, weights) {
      const total = weights.reduce((a, b) => a + b, 0);
      let u = next() * total;
      for (let i = 0; i < items.length; i++) {
        u -= weights[i];
        if (u < 0) return items[i];
      }
      return items[items.length - 1];
    },
    normal(mean = 0, sd = 1) {
      const u1 = 1 - next();
      const u2 = next();
      return mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    },
    shuffle(items) {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [out[j], out[i]];
      }
      return out;
    },
  };
  return rng;
}

function digits(rng: Rng, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += String(rng.int(10));
  return s;
}

function chars(rng: Rng, alphabet: string, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += alphabet[rng.int(alphabet.length)];
  return s;
}

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const HEX = "0123456789abcdef";

function clampScore(x: number): number {
  return Math.min(5, Math.max(1, Math.round(x)));
}

function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}

// ─── PII values ────────────────────────────────────────────────────────────

/** The planted PII types. */
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
/** One planted PII type. */
export type PiiType = typeof PII_TYPES[number];
const PII_WEIGHTS = [24, 18, 11, 8, 5, 9, 8, 6, 11];

/** True when the digits pass the Luhn check. */
export function luhnValid(number: string): boolean {
  const ds = number.replace(/\D/g, "");
  let sum = 0;
  for (let i = 0; i < ds.length; i++) {
    let d = Number(ds[ds.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return ds.length > 0 && sum % 10 === 0;
}

function luhnComplete(partial: string): string {
  for (let d = 0; d < 10; d++) if (luhnValid(partial + d)) return partial + d;
  throw new RangeError(`No Luhn check digit for "${partial}"`);
}

function cardNumber(rng: Rng): string {
  const kind = rng.int(4);
  if (kind === 3) {
    const n = luhnComplete(rng.pick(["34", "37"]) + digits(rng, 12));
    const sep = rng.pick([" ", "-", ""]);
    return [n.slice(0, 4), n.slice(4, 10), n.slice(10)].join(sep);
  }
  const prefix = ["4", "5" + (1 + rng.int(5)), "6011"][kind];
  const n = luhnComplete(prefix + digits(rng, 15 - prefix.length));
  const sep = rng.pick([" ", " ", "-", ""]);
  return n.match(/.{4}/g)!.join(sep);
}

/** The number mod 97 of a decimal digit string of any length. */
function mod97(numeric: string): number {
  let r = 0;
  for (const ch of numeric) r = (r * 10 + Number(ch)) % 97;
  return r;
}

/** True when an IBAN (spaces allowed) has a valid mod-97 checksum. */
export function ibanValid(iban: string): boolean {
  const s = iban.replace(/\s+/g, "").toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(s)) return false;
  const moved = s.slice(4) + s.slice(0, 4);
  const numeric = [...moved].map((c) => (/[A-Z]/.test(c) ? String(c.charCodeAt(0) - 55) : c)).join(
    "",
  );
  return mod97(numeric) === 1;
}

function ibanFrom(country: string, bban: string): string {
  const numeric = [...(bban + country + "00")]
    .map((c) => (/[A-Z]/.test(c) ? String(c.charCodeAt(0) - 55) : c))
    .join("");
  const check = String(98 - mod97(numeric)).padStart(2, "0");
  return country + check + bban;
}

function spanishControl(ds: string): string {
  const w = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6];
  const sum = [...ds].reduce((a, c, i) => a + Number(c) * w[i], 0);
  const d = 11 - (sum % 11);
  return String(d === 11 ? 0 : d === 10 ? 1 : d);
}

function dutchAccount(rng: Rng): string {
  for (;;) {
    const first = digits(rng, 9);
    const sum = [...first].reduce((a, c, i) => a + Number(c) * (10 - i), 0);
    const last = (11 - (sum % 11)) % 11;
    if (last < 10) return first + last;
  }
}

function ibanNumber(rng: Rng): string {
  const country = rng.pick(["DE", "GB", "FR", "ES", "NL"]);
  let bban: string;
  if (country === "DE") bban = digits(rng, 8) + digits(rng, 10);
  else if (country === "GB") {
    bban = rng.pick(["NWBK", "BARC", "LOYD", "HBUK", "MIDL"]) + digits(rng, 6) + digits(rng, 8);
  } else if (country === "FR") {
    const bank = digits(rng, 5), branch = digits(rng, 5), account = digits(rng, 11);
    const key = 97 - ((89 * Number(bank) + 15 * Number(branch) + 3 * Number(account)) % 97);
    bban = bank + branch + account + String(key).padStart(2, "0");
  } else if (country === "ES") {
    const bank = digits(rng, 4), branch = digits(rng, 4), account = digits(rng, 10);
    bban = bank + branch + spanishControl("00" + bank + branch) + spanishControl(account) + account;
  } else {
    bban = rng.pick(["ABNA", "INGB", "RABO", "TRIO", "SNSB"]) + dutchAccount(rng);
  }
  const iban = ibanFrom(country, bban);
  return rng.chance(0.6) ? iban.match(/.{1,4}/g)!.join(" ") : iban;
}

function phoneNumber(rng: Rng): string {
  const us = () => ({
    area: rng.pick(["415", "212", "646", "312", "617", "206", "512"]),
    line: "01" + digits(rng, 2),
  });
  switch (rng.int(12)) {
    case 0: {
      const { area, line } = us();
      return `+1 (${area}) 555-${line}`;
    }
    case 1: {
      const { area, line } = us();
      return `${area}-555-${line}`;
    }
    case 2: {
      const { area, line } = us();
      return `(${area}) 555-${line}`;
    }
    case 3:
      return `+44 20 7946 0${digits(rng, 3)}`;
    case 4:
      return `+44 7700 900${digits(rng, 3)}`;
    case 5:
      return `+49 30 ${digits(rng, 6)}`;
    case 6:
      return `+49 151 ${digits(rng, 8)}`;
    case 7:
      return `+33 1 ${digits(rng, 2)} ${digits(rng, 2)} ${digits(rng, 2)} ${digits(rng, 2)}`;
    case 8:
      return `+33 6 ${digits(rng, 2)} ${digits(rng, 2)} ${digits(rng, 2)} ${digits(rng, 2)}`;
    case 9:
      return `+4915${digits(rng, 9)}`;
    case 10:
      return `+14155550${digits(rng, 3)}`;
    default:
      return `+447700900${digits(rng, 3)}`;
  }
}

function emailAddress(rng: Rng): string {
  const f = rng.pick(PEOPLE.first), l = rng.pick(PEOPLE.last), d = rng.pick(PEOPLE.domains);
  const local = rng.pick([
    `${f}.${l}`,
    `${f[0]}${l}`,
    `${f}+billing`,
    `${f}_${l}${rng.int(90) + 10}`,
    `${f}`,
  ]);
  const email = `${local}@${d}`;
  return rng.chance(0.1) ? email[0].toUpperCase() + email.slice(1) : email;
}

function ipv4Address(rng: Rng): string {
  switch (rng.int(4)) {
    case 0:
      return `192.168.${rng.int(3)}.${2 + rng.int(250)}`;
    case 1:
      return `10.0.${rng.int(20)}.${1 + rng.int(254)}`;
    case 2:
      return `203.0.113.${1 + rng.int(254)}`;
    default: {
      const a = rng.pick([34, 52, 81, 104, 151, 185, 198, 212]);
      return `${a}.${rng.int(256)}.${rng.int(256)}.${1 + rng.int(254)}`;
    }
  }
}

function ipv6Address(rng: Rng): string {
  const g = () => chars(rng, HEX, 1 + rng.int(4)).replace(/^0+(?=.)/, "");
  switch (rng.int(3)) {
    case 0:
      return `2001:db8:${g()}:${g()}::${g()}:${g()}`;
    case 1:
      return `fe80::${g()}:${g()}:${g()}:${g()}`;
    default:
      return ["2001", "0db8", ...Array.from({ length: 6 }, () => chars(rng, HEX, 4))].join(":");
  }
}

function secretValue(rng: Rng): { value: string; bearer: boolean } {
  switch (rng.int(6)) {
    case 0:
      return { value: "sk-" + chars(rng, ALNUM, 48), bearer: false };
    case 1:
      return { value: "AKIA" + chars(rng, UPPER + "0123456789", 16), bearer: false };
    case 2:
      return { value: "ghp_" + chars(rng, ALNUM, 36), bearer: false };
    case 3:
      return {
        value: `xoxb-${digits(rng, 12)}-${digits(rng, 13)}-${chars(rng, ALNUM, 24)}`,
        bearer: false,
      };
    case 4:
      return {
        value: `xoxp-${digits(rng, 12)}-${digits(rng, 12)}-${digits(rng, 13)}-${
          chars(rng, HEX, 32)
        }`,
        bearer: false,
      };
    default: {
      const b64 = ALNUM + "-_";
      return {
        value: `eyJ${chars(rng, b64, 33)}.${chars(rng, b64, 60)}.${chars(rng, b64, 43)}`,
        bearer: true,
      };
    }
  }
}

function ssnValue(rng: Rng): string {
  let area = 1 + rng.int(899);
  if (area === 666) area = 667;
  const group = String(1 + rng.int(99)).padStart(2, "0");
  const serial = String(1 + rng.int(9999)).padStart(4, "0");
  const a = String(area).padStart(3, "0");
  return rng.chance(0.85) ? `${a}-${group}-${serial}` : `${a} ${group} ${serial}`;
}

function streetAddress(rng: Rng): string {
  if (rng.chance(0.4)) return rng.pick(ADDRESS.fixed);
  const line = `${1 + rng.int(4999)} ${rng.pick(ADDRESS.usStreets)} ${
    rng.pick(ADDRESS.usSuffixes)
  }`;
  return rng.chance(0.5) ? `${line}, ${rng.pick(ADDRESS.usCities)}` : line;
}

function piiValue(type: PiiType, rng: Rng): { value: string; bearer: boolean } {
  switch (type) {
    case "email":
      return { value: emailAddress(rng), bearer: false };
    case "phone":
      return { value: phoneNumber(rng), bearer: false };
    case "card":
      return { value: cardNumber(rng), bearer: false };
    case "ipv4":
      return { value: ipv4Address(rng), bearer: false };
    case "ipv6":
      return { value: ipv6Address(rng), bearer: false };
    case "secret":
      return secretValue(rng);
    case "iban":
      return { value: ibanNumber(rng), bearer: false };
    case "ssn":
      return { value: ssnValue(rng), bearer: false };
    case "address":
      return { value: streetAddress(rng), bearer: false };
  }
}

/** Look-alikes that are not PII: they test a detector's precision. */
function nearMissValue(rng: Rng): { kind: string; phrase: string; value: string } {
  switch (rng.int(7)) {
    case 0:
      return { kind: "invoice_number", phrase: "re {v}", value: `INV-2026-${digits(rng, 5)}` };
    case 1:
      return { kind: "order_number", phrase: "order #{v}", value: digits(rng, 8) };
    case 2: {
      let n = "4" + digits(rng, 15);
      if (luhnValid(n)) n = n.slice(0, 15) + ((Number(n[15]) + 1) % 10);
      const v = rng.chance(0.5) ? n.match(/.{4}/g)!.join(" ") : n;
      return {
        kind: "non_luhn_16_digits",
        phrase: "the reference on my statement is {v}",
        value: v,
      };
    }
    case 3: {
      const v = `v${1 + rng.int(4)}.${rng.int(40)}.${256 + rng.int(700)}.${rng.int(10)}`;
      return { kind: "version_string", phrase: "app version {v}", value: v };
    }
    case 4:
      return {
        kind: "date",
        phrase: "since {v}",
        value: `2026-0${6 + rng.int(3)}-${String(1 + rng.int(28)).padStart(2, "0")}`,
      };
    case 5:
      return {
        kind: "error_code",
        phrase: "error code {v}",
        value: `0x8004${chars(rng, "0123456789ABCDEF", 4)}`,
      };
    default:
      return {
        kind: "amount",
        phrase: "for {v}",
        value: `$${1 + rng.int(9)},${digits(rng, 3)}.${digits(rng, 2)}`,
      };
  }
}

// ─── Query text ────────────────────────────────────────────────────────────

/** A piece of a user turn: plain text, a planted PII value, or a near-miss value. */
interface Segment {
  text: string;
  pii?: PiiType;
  near?: string;
}

/** A located value inside a string (UTF-16 offsets). */
interface Span {
  type: string;
  value: string;
  start: number;
  end: number;
}

interface Turn {
  role: "user" | "assistant";
  text: string;
  pii: Span[];
  near: Span[];
}

function money(rng: Rng): string {
  const symbol = rng.pick(["$", "$", "$", "€", "£"]);
  const whole = rng.chance(0.3) ? 10 + rng.int(190) : 50 + rng.int(8950);
  const cents = rng.chance(0.5) ? "" : "." + digits(rng, 2);
  const grouped = String(whole).replace(/\B(?=(\d{3})+$)/g, ",");
  if (symbol === "€" && rng.chance(0.5)) {
    return `${String(whole).replace(/\B(?=(\d{3})+$)/g, ".")}${cents.replace(".", ",")} €`;
  }
  return symbol + grouped + cents;
}

/** A value for a template slot: generated for ids, amounts and names, else from {@link SLOTS}. */
function slotValue(name: string, rng: Rng, where: string): string {
  switch (name) {
    case "inv":
      return rng.pick([
        `INV-${digits(rng, 4)}`,
        `#${100 + rng.int(9900)}`,
        `${100 + rng.int(4900)}`,
        `INV-2026-${digits(rng, 4)}`,
      ]);
    case "amount":
      return money(rng);
    case "days":
      if (rng.chance(0.4)) return `${2 + rng.int(13)} days`;
      if (rng.chance(0.15)) return `${2 + rng.int(9)} business days`;
      break;
    case "client":
      if (rng.chance(0.45)) {
        return `${rng.pick(CLIENT_PARTS.surnames)} ${rng.pick(CLIENT_PARTS.trades)}`;
      }
      break;
    case "nDays":
      return String(2 + rng.int(13));
    case "trade":
      return rng.pick(CLIENT_PARTS.trades).toLowerCase();
    case "count":
      return String(
        rng.chance(0.5) ? rng.pick([5, 10, 12, 20, 30, 50, 100, 200]) : 3 + rng.int(400),
      );
  }
  const values = SLOTS[name];
  if (!values) throw new RangeError(`Unknown slot "${name}" in "${where}"`);
  return rng.pick(values);
}

function fill(template: string, rng: Rng): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => slotValue(name, rng, template));
}

/** Greeting, question, context and closer, as users type them. */
function composeQuestion(template: string, rng: Rng, lang: string): string {
  const extras = lang === "en"
    ? { greetings: GREETINGS, contexts: CONTEXTS, closers: CLOSERS }
    : LANG_EXTRAS[lang as Translation["lang"]];
  let text = fill(template, rng);
  const hasSlot = /\{\w+\}/.test(template);
  if (rng.chance(hasSlot ? RATES.contextWithSlots : RATES.contextWithoutSlots)) {
    text += /[?.!]$/.test(text) ? " " : rng.pick([". ", ", ", " - ", " ", "? "]);
    text += fill(rng.pick(extras.contexts), rng);
  }
  if (rng.chance(RATES.greeting)) text = rng.pick(extras.greetings) + " " + text;
  if (rng.chance(RATES.closer)) text += rng.pick([" ", ". ", "\n"]) + rng.pick(extras.closers);
  return text;
}

function addTypo(text: string, rng: Rng): string {
  const words = text.split(" ");
  const candidates = words.map((w, i) => (/^[a-zA-Z]{4,}$/.test(w) ? i : -1)).filter((i) => i >= 0);
  if (candidates.length === 0) return text;
  const i = rng.pick(candidates);
  const w = words[i];
  const lower = w.toLowerCase();
  if (MISSPELLINGS[lower] && rng.chance(0.6)) {
    words[i] = MISSPELLINGS[lower];
  } else {
    const p = 1 + rng.int(w.length - 2);
    const op = rng.int(3);
    if (op === 0) words[i] = w.slice(0, p) + w[p + 1] + w[p] + w.slice(p + 2);
    else if (op === 1) words[i] = w.slice(0, p) + w.slice(p + 1);
    else words[i] = w.slice(0, p) + w[p] + w.slice(p);
  }
  return words.join(" ");
}

function lowerNoPunct(text: string): string {
  return text.toLowerCase().replace(/'/g, "").replace(/[?!.,;:](?=\s|$)/g, "");
}

/** A messy question (typos, lowercase, chatty interjections) as plain segments. */
function messyQuestion(template: string, rng: Rng, lang: string, compose = true): Segment[] {
  const english = lang === "en";
  let text = compose ? composeQuestion(template, rng, lang) : fill(template, rng);
  if (english) {
    if (rng.chance(RATES.lowercase)) text = lowerNoPunct(text);
    if (rng.chance(RATES.typo)) text = addTypo(text, rng);
    if (rng.chance(RATES.typo / 3)) text = addTypo(text, rng);
  } else if (rng.chance(0.15)) {
    text = text.toLowerCase();
  }
  const segments: Segment[] = [];
  if (english && rng.chance(RATES.prefix)) segments.push({ text: rng.pick(PREFIXES) });
  segments.push({ text });
  if (english && rng.chance(RATES.suffix)) segments.push({ text: rng.pick(SUFFIXES) });
  return segments;
}

function phraseSegments(phrase: string, value: Segment): Segment[] {
  const [before, after] = phrase.split("{v}");
  return [{ text: before }, value, { text: after }];
}

/** Insert a value phrase before or after the question. */
function insertPhrase(segments: Segment[], phrase: string, value: Segment, rng: Rng): Segment[] {
  if (rng.chance(0.7)) {
    return [...segments, { text: rng.pick(JOINERS) }, ...phraseSegments(phrase, value)];
  }
  const p = rng.chance(0.5) ? phrase[0].toUpperCase() + phrase.slice(1) : phrase;
  return [...phraseSegments(p, value), { text: rng.pick([". ", " - ", "\n", ", "]) }, ...segments];
}

function withPii(segments: Segment[], type: PiiType, rng: Rng): Segment[] {
  const { value, bearer } = piiValue(type, rng);
  const phrase = rng.pick(PII_PHRASES[bearer ? "bearer" : type]);
  return insertPhrase(segments, phrase, { text: value, pii: type }, rng);
}

function withNearMiss(segments: Segment[], rng: Rng): Segment[] {
  const { kind, phrase, value } = nearMissValue(rng);
  return insertPhrase(segments, phrase, { text: value, near: kind }, rng);
}

function renderTurn(segments: Segment[]): Turn {
  let text = "";
  const pii: Span[] = [];
  const near: Span[] = [];
  for (const s of segments) {
    const start = text.length;
    text += s.text;
    if (s.pii) pii.push({ type: s.pii, value: s.text, start, end: text.length });
    if (s.near) near.push({ type: s.near, value: s.text, start, end: text.length });
  }
  return { role: "user", text, pii, near };
}

/** Replace every PII span by a typed placeholder, as the sampler's anonymizer would. */
function anonymize(turn: Turn): string {
  let text = turn.text;
  for (const s of [...turn.pii].sort((a, b) => b.start - a.start)) {
    text = text.slice(0, s.start) + `[${s.type.toUpperCase()}]` + text.slice(s.end);
  }
  return text;
}

/** The text used to find duplicates: lowercased, punctuation and spacing collapsed. */
export function normalizeText(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
}

// ─── Responses ─────────────────────────────────────────────────────────────

/** Words in an answer, as the length band counts them. */
export function wordCount(text: string): number {
  const t = text.trim();
  return t === "" ? 0 : t.split(/\s+/).length;
}

/**
 * The length score of an answer of `words` words in a topic's ideal band:
 * 5 inside the band, then 4/3/2/1 as the ratio to the nearer edge passes
 * 1.35, 1.8 and 2.7.
 */
export function lengthScore(words: number, band: readonly [number, number]): number {
  const [lo, hi] = band;
  if (words >= lo && words <= hi) return 5;
  const ratio = words > hi ? words / hi : lo / Math.max(words, 1);
  if (ratio <= 1.35) return 4;
  if (ratio <= 1.8) return 3;
  if (ratio <= 2.7) return 2;
  return 1;
}

/** The parts of an answer before rendering. */
interface Parts {
  opener: string;
  lead: string[];
  statements: string[];
  drift: string[];
  hedges: string[];
  fillers: string[];
  closing: string | null;
}

/** Correct facts and wrong claims for a correctness score (fact 0 only at 3+; wrong 0 only at 2−). */
function chooseStatements(intent: Intent, k: number, rng: Rng): string[] {
  const facts = intent.facts, wrong = intent.wrong, n = facts.length;
  const rest = rng.shuffle(facts.slice(1));
  let chosen: string[];
  if (k === 5) chosen = [facts[0], ...rest];
  else if (k === 4) chosen = [facts[0], ...rest.slice(0, Math.max(0, n - 2))];
  else if (k === 3) {
    chosen = [facts[0], ...rest.slice(0, Math.ceil(n / 2) - 1), ...wrong.slice(1, 2)];
  } else if (k === 2) chosen = [rest[0] ?? facts[0], ...wrong.slice(0, 2)];
  else chosen = wrong.slice(0, 2);
  return [chosen[0], ...rng.shuffle(chosen.slice(1))];
}

/** The stance markers for a (correctness, calibration) pair: − confident, + hedged. */
export function stanceFor(correctness: number, calibration: number): number[] {
  const table: Record<"right" | "mid" | "wrong", number[][]> = {
    // index = calibration score
    right: [[], [2, 1], [2], [1], [], [-1]],
    mid: [[], [-2, -1], [-2], [-1], [], [1]],
    wrong: [[], [-2, -1], [-1], [], [1], [2]],
  };
  const band = correctness >= 4 ? "right" : correctness === 3 ? "mid" : "wrong";
  return table[band][calibration];
}

function titled(template: string, intent: Intent): string {
  return template.replace("{title}", intent.title);
}

function chooseOpener(intent: Intent, r: number, rng: Rng): string {
  if (r === 5) return titled(rng.pick(OPENERS_ON_TOPIC), intent);
  if (r === 1) {
    const other = rng.pick(INTENTS.filter((i) => i.topic !== intent.topic));
    return titled(rng.pick(OPENERS_ON_TOPIC), other);
  }
  return rng.pick(OPENERS_GENERIC);
}

function stripEnd(s: string): string {
  return s.replace(/[.!?]+$/, "");
}

function sentence(s: string): string {
  return /[.!?]$/.test(s) ? s : s + ".";
}

/** Render the parts at a clarity level: 5 numbered steps … 1 one run-on sentence. */
function render(p: Parts, clarity: number): string {
  const head = [p.opener, ...p.lead];
  const tail = [...p.drift, ...p.hedges, ...p.fillers, ...(p.closing ? [p.closing] : [])];
  if (clarity === 5) {
    const steps = p.statements.map((s, i) => `${i + 1}. ${sentence(s)}`).join("\n");
    return [head.join(" "), steps, tail.join(" ")].filter((x) => x !== "").join("\n\n");
  }
  if (clarity === 4) {
    const bullets = p.statements.map((s) => `- ${sentence(s)}`).join("\n");
    return [head.join(" "), bullets, tail.join(" ")].filter((x) => x !== "").join("\n");
  }
  const all = [...head, ...p.statements, ...tail];
  if (clarity === 3) return all.map(sentence).join(" ");
  if (clarity === 2) {
    const out: string[] = [];
    for (let i = 0; i < all.length; i += 3) {
      out.push(sentence(all.slice(i, i + 3).map(stripEnd).join(", and ")));
    }
    return out.join(" ");
  }
  const joins = [" and ", " and then ", ", also ", " so "];
  return "so basically " +
    all.map(stripEnd).map((s, i) => (i === 0 ? s : joins[i % joins.length] + s)).join("");
}

/**
 * Write an answer whose text carries the target scores: correctness in the
 * facts it states, relevance in its opener and drift, clarity in its shape,
 * calibration in its hedges against its correctness, length in its words.
 * Returns the text and its true scores (length recomputed from the text).
 */
function writeAnswer(intent: Intent, target: DimValues, verbosity: number, rng: Rng) {
  const k = target.correctness, r = target.relevance, c = target.clarity;
  const stances = stanceFor(k, target.calibration);
  const marker = (s: number) => rng.pick(STANCE_MARKERS[String(s) as "-2" | "-1" | "1" | "2"]);
  const parts: Parts = {
    opener: chooseOpener(intent, r, rng),
    lead: stances.filter((s) => s < 0).map(marker),
    statements: chooseStatements(intent, k, rng),
    drift: rng.shuffle(DRIFT).slice(0, [0, 3, 2, 1, 0, 0][r]),
    hedges: stances.filter((s) => s > 0).map(marker),
    fillers: [],
    closing: rng.chance(0.6) ? rng.pick(CLOSINGS) : null,
  };
  const band = LENGTH_BANDS[intent.topic];
  const [lo, hi] = band;
  let goal: number;
  if (target.length === 5) goal = rng.range(lo, hi);
  else {
    const ratio = rng.range(...LENGTH_RATIOS[target.length]);
    goal = rng.chance(verbosity) ? hi * ratio : lo / ratio;
    if (goal < wordCount(render({ ...parts, closing: null }, c))) goal = hi * ratio;
  }
  if (wordCount(render(parts, c)) > goal) parts.closing = null;
  let pool: string[] = [];
  for (;;) {
    const now = wordCount(render(parts, c));
    if (now >= goal) break;
    if (pool.length === 0) pool = rng.shuffle(FILLERS).map((f) => titled(f, intent));
    const next = pool.pop()!;
    if (target.length === 5 && now + wordCount(next) > hi) break;
    parts.fillers.push(next);
  }
  const text = render(parts, c);
  return { text, scores: { ...target, length: lengthScore(wordCount(text), band) } };
}

function drawScores(latent: DimValues, offset: DimValues | null, sd: number, rng: Rng): DimValues {
  const out = {} as DimValues;
  for (const d of DIMS) {
    out[d] = clampScore(latent[d] + (offset ? offset[d] : 0) + rng.normal(0, sd));
  }
  return out;
}

function modelSize(model: string): "small" | "medium" | "large" {
  return model.includes("large") ? "large" : model.includes("medium") ? "medium" : "small";
}

function usageAndLatency(promptText: string, answer: string, rel: ReleaseDef, rng: Rng) {
  const prompt_tokens = PROMPT_TOKENS[rel.prompt_version] + Math.ceil(promptText.length / 4);
  const completion_tokens = Math.ceil(answer.length / 4);
  const size = modelSize(rel.model);
  const base = { small: 450, medium: 800, large: 1300 }[size];
  const perToken = { small: 9, medium: 14, large: 22 }[size];
  const latency_ms = Math.round(
    (base + perToken * completion_tokens) * Math.exp(rng.normal(0, 0.15)),
  );
  return {
    latency_ms,
    usage: { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens },
  };
}

// ─── Releases and prod metrics ─────────────────────────────────────────────

/** A release's prod metrics as the metric model gives them. */
interface ReleaseMetrics {
  thumbs_down_rate: number;
  tickets_per_1k: number;
}

function releaseMetrics(): ReleaseMetrics[] {
  const rng = makeRng("metrics");
  return RELEASES.map((rel) => {
    const value = (m: MetricModel) => {
      let v = m.intercept;
      for (const d of DIMS) v += m.coefficients[d] * (rel.latent[d] - 3);
      return round(v + rng.normal(0, m.noise_sd), m.decimals);
    };
    return {
      thumbs_down_rate: value(METRIC_MODEL.thumbs_down_rate),
      tickets_per_1k: value(METRIC_MODEL.tickets_per_1k),
    };
  });
}

function releaseIndexAt(ts: number): number {
  let idx = 0;
  for (let i = 0; i < RELEASES.length; i++) {
    if (Date.parse(RELEASES[i].date + "T00:00:00Z") / 1000 <= ts) idx = i;
  }
  return idx;
}

// ─── Prod logs ─────────────────────────────────────────────────────────────

/** One prod log record before it is written, with what the generator knows about it. */
interface LogDraft {
  seq: number;
  id: string;
  ts: number;
  topic: Topic;
  intent: Intent;
  lang: string;
  turns: Turn[];
  release: number;
  scores: DimValues;
  response: string;
  conversationId: string;
  userId: string;
  feedback: "up" | "down" | null;
  duplicateOf: number | null;
  duplicated: boolean;
}

function schedule(rng: Rng): number[] {
  const times: number[] = [];
  for (let day = 0; day < LOG_DAYS; day++) {
    const weekend = day % 7 >= 5; // 2026-06-01 is a Monday
    const n = Math.round(LOGS_PER_WEEKDAY * (weekend ? 0.5 : 1) * rng.range(0.85, 1.15));
    for (let i = 0; i < n; i++) {
      const sec = rng.chance(0.7) ? rng.int(36000) + 13 * 3600 : rng.int(86400);
      times.push(LOG_START + day * 86400 + sec);
    }
  }
  return times.sort((a, b) => a - b);
}

function userId(rng: Rng): string {
  return `user-${String(1 + Math.floor(1400 * rng.next() ** 1.7)).padStart(5, "0")}`;
}

function conversationId(rng: Rng, seen: Set<string>): string {
  for (;;) {
    const id = "conv-" + chars(rng, HEX, 10);
    if (!seen.has(id)) {
      seen.add(id);
      return id;
    }
  }
}

function pickIntent(topic: Topic, rng: Rng): Intent {
  const options = INTENTS.filter((i) => i.topic === topic);
  return rng.weighted(options, options.map((i) => i.weight));
}

function intentByKey(key: string): Intent {
  const intent = INTENTS.find((i) => i.key === key);
  if (!intent) throw new RangeError(`Unknown intent "${key}"`);
  return intent;
}

/** The user turns of one record: question, follow-ups, PII and near-misses placed. */
function userTurns(template: string, lang: string, multi: boolean, rng: Rng): Segment[][] {
  const turns: Segment[][] = [messyQuestion(template, rng, lang)];
  if (multi) {
    const n = rng.chance(0.25) ? 2 : 1;
    for (let i = 0; i < n; i++) turns.push(messyQuestion(rng.pick(FOLLOW_UPS), rng, "en", false));
  }
  if (rng.chance(RATES.pii)) {
    const count = rng.weighted([1, 2, 3], [75, 20, 5]);
    for (let i = 0; i < count; i++) {
      const t = rng.int(turns.length);
      turns[t] = withPii(turns[t], rng.weighted(PII_TYPES, PII_WEIGHTS), rng);
    }
  }
  if (rng.chance(RATES.nearMiss)) {
    const t = rng.int(turns.length);
    turns[t] = withNearMiss(turns[t], rng);
  }
  return turns;
}

function draftLog(seq: number, ts: number, rng: Rng, convs: Set<string>): LogDraft {
  const release = releaseIndexAt(ts);
  const rel = RELEASES[release];
  const topic = rng.weighted(TOPICS, TOPICS.map((t) => TOPIC_MIX[t]));
  let intent: Intent, template: string, lang = "en";
  if (rng.chance(RATES.nonEnglish)) {
    const tr = rng.pick(TRANSLATIONS.filter((t) => intentByKey(t.intent).topic === topic));
    intent = intentByKey(tr.intent);
    template = tr.template;
    lang = tr.lang;
  } else {
    intent = pickIntent(topic, rng);
    template = rng.pick(intent.templates);
  }
  const multi = lang === "en" && rng.chance(RATES.multiTurn);
  const turns: Turn[] = [];
  for (const [i, segs] of userTurns(template, lang, multi, rng).entries()) {
    if (i > 0) {
      const prior = writeAnswer(
        intent,
        drawScores(rel.latent, null, 0.75, rng),
        rel.verbosity,
        rng,
      );
      turns.push({ role: "assistant", text: prior.text, pii: [], near: [] });
    }
    turns.push(renderTurn(segs));
  }
  const answer = writeAnswer(intent, drawScores(rel.latent, null, 0.75, rng), rel.verbosity, rng);
  return {
    seq,
    id: "",
    ts,
    topic,
    intent,
    lang,
    turns,
    release,
    scores: answer.scores,
    response: answer.text,
    conversationId: conversationId(rng, convs),
    userId: userId(rng),
    feedback: null,
    duplicateOf: null,
    duplicated: false,
  };
}

/** A near-duplicate: the same question with other case, spacing or punctuation. */
function variantOf(text: string, rng: Rng): string {
  const ops = [
    (s: string) => s.toLowerCase(),
    (s: string) => s[0].toUpperCase() + s.slice(1),
    (s: string) => s.replace(/ /, "  "),
    (s: string) => `  ${s} `,
    (s: string) => s.replace(/[?!.]+$/, "") + rng.pick(["?", "??", "!!", ""]),
    (s: string) => s.replace(/,/g, ""),
    (s: string) => s.toUpperCase(),
  ];
  for (let attempt = 0; attempt < 10; attempt++) {
    const v = rng.pick(ops)(text);
    if (v !== text) return v;
  }
  return text + " ";
}

function duplicates(drafts: LogDraft[], rng: Rng, convs: Set<string>): LogDraft[] {
  const end = LOG_START + LOG_DAYS * 86400 - 1;
  const sources = drafts.filter((d) =>
    d.turns.length === 1 && d.turns[0].pii.length === 0 && d.turns[0].near.length === 0
  );
  const out: LogDraft[] = [];
  const n = Math.round(RATES.duplicate * drafts.length);
  for (let i = 0; i < n; i++) {
    const src = rng.pick(sources);
    src.duplicated = true;
    const exact = rng.chance(0.4);
    const ts = Math.min(end, src.ts + (exact ? 2 + rng.int(44) : 3600 + rng.int(10 * 86400)));
    const release = releaseIndexAt(ts);
    const rel = RELEASES[release];
    const text = exact ? src.turns[0].text : variantOf(src.turns[0].text, rng);
    const answer = writeAnswer(
      src.intent,
      drawScores(rel.latent, null, 0.75, rng),
      rel.verbosity,
      rng,
    );
    out.push({
      ...src,
      seq: drafts.length + i,
      ts,
      turns: [{ role: "user", text, pii: [], near: [] }],
      release,
      scores: answer.scores,
      response: answer.text,
      conversationId: exact ? src.conversationId : conversationId(rng, convs),
      userId: exact ? src.userId : userId(rng),
      duplicateOf: src.seq,
      duplicated: false,
    });
  }
  return out;
}

/**
 * How a logged answer's true scores drive its user's feedback: the same drivers as the
 * release-level thumbs-down rate ({@link METRIC_MODEL}: correctness, then calibration,
 * clarity weakly; relevance and length not at all), per score point above or below 3.
 * - `down`: the answer's weight in the per-release thumbs-down draw is
 *   exp(Σ down[d]·(score[d] − 3)); the slopes are METRIC_MODEL's thumbs-down coefficients
 *   scaled by 28, so their ratios are the release model's.
 * - `up`: of the answers not thumbed down, thumbs-up with probability
 *   min(up_max, up_base · exp(Σ up[d]·(score[d] − 3))).
 */
export const FEEDBACK_MODEL = {
  down: { correctness: -0.7, relevance: 0, clarity: -0.14, calibration: -0.504, length: 0 },
  up: { correctness: 0.45, relevance: 0, clarity: 0.09, calibration: 0.324, length: 0 },
  up_base: 0.15,
  up_max: 0.6,
} as const;

function feedbackExponent(slopes: Readonly<DimValues>, scores: DimValues): number {
  let t = 0;
  for (const d of DIMS) t += slopes[d] * (scores[d] - 3);
  return t;
}

/**
 * Feedback: in each release's period exactly round(thumbs_down_rate · n)
 * records are "down", drawn without replacement with weights from
 * {@link FEEDBACK_MODEL} (Efraimidis–Spirakis); of the rest, "up" with a
 * probability from the same model; else null.
 */
function assignFeedback(logs: LogDraft[], metrics: ReleaseMetrics[], rng: Rng): void {
  const keys = logs.map((l) =>
    Math.log(1 - rng.next()) / Math.exp(feedbackExponent(FEEDBACK_MODEL.down, l.scores))
  );
  for (let r = 0; r < RELEASES.length; r++) {
    const period = logs.map((l, i) => ({ l, key: keys[i] })).filter((x) => x.l.release === r);
    period.sort((a, b) => b.key - a.key || a.l.seq - b.l.seq);
    const downs = Math.round(metrics[r].thumbs_down_rate * period.length);
    period.slice(0, downs).forEach((x) => (x.l.feedback = "down"));
  }
  for (const log of logs) {
    const p = Math.min(
      FEEDBACK_MODEL.up_max,
      FEEDBACK_MODEL.up_base * Math.exp(feedbackExponent(FEEDBACK_MODEL.up, log.scores)),
    );
    if (log.feedback === null && rng.chance(p)) log.feedback = "up";
  }
}

function generateLogs(metrics: ReleaseMetrics[]): LogDraft[] {
  const rng = makeRng("logs");
  const convs = new Set<string>();
  const drafts = schedule(rng).map((ts, seq) => draftLog(seq, ts, rng, convs));
  const all = [...drafts, ...duplicates(drafts, makeRng("duplicates"), convs)];
  all.sort((a, b) => a.ts - b.ts || a.seq - b.seq);
  all.forEach((log, i) => (log.id = `log-${String(i + 1).padStart(6, "0")}`));
  assignFeedback(all, metrics, makeRng("feedback"));
  return all;
}

function isoSeconds(ts: number): string {
  return new Date(ts * 1000).toISOString().slice(0, 19) + "Z";
}

function logRecord(log: LogDraft) {
  const single = log.turns.length === 1;
  return {
    id: log.id,
    ts: isoSeconds(log.ts),
    ...(single
      ? { query: log.turns[0].text }
      : { messages: log.turns.map((t) => ({ role: t.role, content: t.text })) }),
    response: log.response,
    topic: log.topic,
    conversation_id: log.conversationId,
    user_id: log.userId,
    model: RELEASES[log.release].model,
    feedback: log.feedback,
  };
}

function piiTruth(logs: LogDraft[]) {
  const rows = [];
  for (const log of logs) {
    for (const [i, turn] of log.turns.entries()) {
      for (const s of turn.pii) {
        if (turn.text.slice(s.start, s.end) !== s.value) {
          throw new RangeError(`PII offsets of "${log.id}" do not match "${s.value}"`);
        }
        const field = log.turns.length === 1 ? "query" : `messages[${i}].content`;
        rows.push({
          log_id: log.id,
          field,
          type: s.type,
          value: s.value,
          start: s.start,
          end: s.end,
        });
      }
    }
  }
  return rows;
}

function nearMisses(logs: LogDraft[]) {
  const rows = [];
  for (const log of logs) {
    for (const [i, turn] of log.turns.entries()) {
      for (const s of turn.near) {
        const field = log.turns.length === 1 ? "query" : `messages[${i}].content`;
        rows.push({
          log_id: log.id,
          field,
          kind: s.type,
          value: s.value,
          start: s.start,
          end: s.end,
        });
      }
    }
  }
  return rows;
}

// ─── Eval set, regression cases ────────────────────────────────────────────

/** An eval item or regression case with the intent behind it. */
interface Held {
  id: string;
  log: LogDraft;
  /** Anonymized turns. */
  turns: { role: "user" | "assistant"; content: string }[];
  topic: Topic;
  intent: Intent;
}

function heldTurns(log: LogDraft) {
  return log.turns.map((t) => ({ role: t.role, content: anonymize(t) }));
}

function heldText(turns: { role: string; content: string }[]): string {
  return normalizeText(turns.filter((t) => t.role === "user").map((t) => t.content).join(" | "));
}

function queryOrMessages(turns: { role: "user" | "assistant"; content: string }[]) {
  return turns.length === 1 ? { query: turns[0].content } : { messages: turns };
}

/** Past failures: English prod records whose logged answer had correctness ≤ 2, one per intent first. */
function pickRegressionLogs(logs: LogDraft[], rng: Rng): LogDraft[] {
  const candidates = rng.shuffle(
    logs.filter((l) =>
      l.lang === "en" && l.duplicateOf === null && !l.duplicated && l.scores.correctness <= 2 &&
      l.turns.every((t) => t.pii.length === 0 && t.near.length === 0)
    ),
  );
  const chosen: LogDraft[] = [];
  const intents = new Set<string>();
  const texts = new Set<string>();
  for (const pass of [0, 1]) {
    for (const l of candidates) {
      if (chosen.length >= REGRESSION_CASES) break;
      const text = heldText(heldTurns(l));
      if (chosen.includes(l) || texts.has(text) || (pass === 0 && intents.has(l.intent.key))) {
        continue;
      }
      chosen.push(l);
      intents.add(l.intent.key);
      texts.add(text);
    }
  }
  return chosen.sort((a, b) => a.ts - b.ts);
}

/** The eval set: per topic, a random sample of distinct queries that are not regression cases. */
function pickEvalItems(
  logs: LogDraft[],
  exclude: Set<string>,
  rng: Rng,
  quota: Record<Topic, number> = EVAL_QUOTA,
  prefix = "item-",
): Held[] {
  const picked: LogDraft[] = [];
  const texts = new Set(exclude);
  for (const topic of TOPICS) {
    let n = 0;
    for (const l of rng.shuffle(logs.filter((x) => x.topic === topic))) {
      if (n >= quota[topic]) break;
      const text = heldText(heldTurns(l));
      if (texts.has(text)) continue;
      texts.add(text);
      picked.push(l);
      n++;
    }
  }
  picked.sort((a, b) => a.ts - b.ts || a.seq - b.seq);
  return picked.map((log, i) => ({
    id: `${prefix}${String(i + 1).padStart(4, "0")}`,
    log,
    turns: heldTurns(log),
    topic: log.topic,
    intent: log.intent,
  }));
}

function evalRecord(item: Held, withReference: boolean) {
  return {
    id: item.id,
    ...queryOrMessages(item.turns),
    stratum: item.topic,
    source_id: item.log.id,
    ...(withReference ? { reference: [...item.intent.facts] } : {}),
    response: item.log.response,
    model: RELEASES[item.log.release].model,
  };
}

function firstLower(s: string): string {
  return /^[A-Z][a-z]/.test(s) && !/^(Ledgerly|ACH|API)\b/.test(s)
    ? s[0].toLowerCase() + s.slice(1)
    : s;
}

function caseRecord(held: Held, rng: Rng, sources: Set<string>) {
  const intent = held.intent;
  const expected = rng.pick(EXPECTED_BEHAVIOR)
    .replace("{fact}", firstLower(intent.facts[0]))
    .replace("{wrong}", firstLower(intent.wrong[0]));
  const last = LOG_START + LOG_DAYS * 86400 - 86400;
  const added = Math.min(last, held.log.ts + (1 + rng.int(6)) * 86400);
  let source: string;
  do source = rng.chance(0.5)
    ? `INC-${1000 + rng.int(9000)}`
    : `TICKET-${1000 + rng.int(9000)}`; while (sources.has(source));
  sources.add(source);
  const min: Record<string, number> = { correctness: 3 };
  if (rng.chance(0.35)) min.calibration = 3;
  if (rng.chance(0.25)) min.relevance = 3;
  return {
    id: held.id,
    ...queryOrMessages(held.turns),
    expected_behavior: expected,
    added_on: isoSeconds(added).slice(0, 10),
    source,
    min_scores: min,
    ...(rng.chance(0.7) ? { must_include: [intent.must] } : {}),
    ...(rng.chance(0.7) ? { must_not_include: [intent.mustNot] } : {}),
  };
}

/** Every release's responses to a held set and their true scores. */
function answerAll(held: Held[], label: string, offset: Partial<DimValues>) {
  const diffRng = makeRng(`${label}:difficulty`);
  const difficulty = held.map(() => {
    const o = {} as DimValues;
    for (const d of DIMS) o[d] = diffRng.normal(0, 0.45) + (offset[d] ?? 0);
    return o;
  });
  return RELEASES.map((rel) => {
    const rng = makeRng(`${label}:${rel.release}`);
    const responses = [];
    const truth = [];
    for (const [i, item] of held.entries()) {
      const answer = writeAnswer(
        item.intent,
        drawScores(rel.latent, difficulty[i], 0.55, rng),
        rel.verbosity,
        rng,
      );
      const prompt = item.turns.map((t) => t.content).join("\n");
      responses.push({
        item_id: item.id,
        model: rel.model,
        response: answer.text,
        ...usageAndLatency(prompt, answer.text, rel, rng),
      });
      truth.push({ item_id: item.id, scores: answer.scores });
    }
    return { release: rel.release, responses, truth };
  });
}

// ─── Human ratings ─────────────────────────────────────────────────────────

function ratings(items: Held[], truth: { item_id: string; scores: DimValues }[]) {
  const rng = makeRng("ratings");
  const sample: Held[] = [];
  for (const topic of TOPICS) {
    sample.push(
      ...rng.shuffle(items.filter((i) => i.topic === topic)).slice(0, RATING_QUOTA[topic]),
    );
  }
  const order = rng.shuffle(sample);
  const byId = new Map(truth.map((t) => [t.item_id, t.scores]));
  const sheets: Record<string, Record<string, string | number>[]> = {};
  const assigned = {
    ana: order.slice(0, RATED_PER_RATER),
    ben: order.slice(order.length - RATED_PER_RATER),
  };
  for (const rater of ["ana", "ben"] as const) {
    const { bias, sd } = RATERS[rater];
    const raterRng = makeRng(`ratings:${rater}`);
    sheets[rater] = [...assigned[rater]].sort((a, b) => a.id.localeCompare(b.id)).map((item) => {
      const row: Record<string, string | number> = { item_id: item.id, rater };
      const t = byId.get(item.id)!;
      for (const d of DIMS) row[d] = clampScore(t[d] + bias + raterRng.normal(0, sd));
      row.notes = raterRng.chance(0.12) ? raterRng.pick(RATER_NOTES) : "";
      return row;
    });
  }
  return sheets;
}

// ─── Writing ───────────────────────────────────────────────────────────────

function checked<T>(schema: z.ZodType, records: T[], what: string): T[] {
  for (const [i, r] of records.entries()) {
    const result = schema.safeParse(r);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new TypeError(
        `Cannot write "${what}": record ${i + 1}: field "${
          issue.path.join(".")
        }": ${issue.message}`,
      );
    }
  }
  return records;
}

function jsonl(records: readonly unknown[]): string {
  return records.map((r) => JSON.stringify(r) + "\n").join("");
}

function csv(rows: Record<string, unknown>[], columns: string[]): string {
  return stringify(rows, { header: true, columns, record_delimiter: "\n" });
}

function checkContent(): void {
  for (const i of INTENTS) {
    if (!i.facts[0].includes(i.must)) {
      throw new RangeError(`Intent "${i.key}": must is not in facts[0]`);
    }
    if (!i.wrong[0].includes(i.mustNot)) {
      throw new RangeError(`Intent "${i.key}": mustNot is not in wrong[0]`);
    }
    const clean = [...i.facts, ...FILLERS, ...DRIFT, ...CLOSINGS, ...OPENERS_GENERIC];
    if (clean.some((s) => s.includes(i.mustNot))) {
      throw new RangeError(`Intent "${i.key}": mustNot appears in a correct sentence`);
    }
  }
}

/** What {@link generateWorld} wrote. */
export interface WorldSummary {
  /** Paths of the files written, relative to the output directory, sorted. */
  files: string[];
  logs: number;
  evalItems: number;
  regressionCases: number;
  /** Log records with at least one planted PII value. */
  logsWithPii: number;
  piiByType: Record<string, number>;
  nearMisses: number;
  multiTurn: number;
  nonEnglish: number;
  /** Planted repeats of an earlier query: verbatim, or with other case/spacing/punctuation. */
  duplicatesPlanted: { exact: number; near: number };
  /** Single-turn records whose normalized query repeats an earlier one (planted or by chance). */
  repeatedQueries: number;
}

function countRepeats(logs: LogDraft[]): number {
  const seen = new Set<string>();
  let n = 0;
  for (const l of logs) {
    if (l.turns.length !== 1) continue;
    const key = normalizeText(l.turns[0].text);
    if (seen.has(key)) n++;
    seen.add(key);
  }
  return n;
}

/**
 * Generate the demo world into `outDir` (created if missing). Deterministic:
 * the same code writes the same bytes.
 *
 * @param outDir The directory to write into.
 * @returns The files written and a few counts.
 * @throws {TypeError} A generated record fails its schema (a generator bug).
 */
export async function generateWorld(outDir: string): Promise<WorldSummary> {
  checkContent();
  const metrics = releaseMetrics();
  const logs = generateLogs(metrics);
  const caseLogs = pickRegressionLogs(logs, makeRng("cases"));
  const cases: Held[] = caseLogs.map((log, i) => ({
    id: `case-${String(i + 1).padStart(3, "0")}`,
    log,
    turns: heldTurns(log),
    topic: log.topic,
    intent: log.intent,
  }));
  const items = pickEvalItems(
    logs,
    new Set(cases.map((c) => heldText(c.turns))),
    makeRng("evalset"),
  );
  const feedbackItems = pickEvalItems(
    logs,
    new Set(cases.map((c) => heldText(c.turns))),
    makeRng("feedback-items"),
    FEEDBACK_QUOTA,
    "fb-",
  );
  const refRng = makeRng("reference");
  const evalRecords = items.map((item) => evalRecord(item, refRng.chance(RATES.reference)));
  const answers = answerAll(items, "eval", {});
  const caseAnswers = answerAll(cases, "cases", { correctness: -0.7, calibration: -0.3 });
  const caseRng = makeRng("case-records");
  const sources = new Set<string>();
  const caseRecords = cases.map((c) => caseRecord(c, caseRng, sources));
  const rated = answers.find((a) => a.release === RATED_RELEASE)!;
  const sheets = ratings(items, rated.truth);
  const pii = piiTruth(logs);

  const releaseRows = RELEASES.map((rel, i) => ({
    release: rel.release,
    date: rel.date,
    eval_run: `runs/judge-${rel.release}`,
    thumbs_down_rate: metrics[i].thumbs_down_rate,
    tickets_per_1k: metrics[i].tickets_per_1k,
    model: rel.model,
    prompt_version: rel.prompt_version,
  }));
  const ratingColumns = ["item_id", "rater", ...DIMS, "notes"];
  const latent = {
    seed: SEED,
    releases: RELEASES.map((r) => ({
      release: r.release,
      latent: r.latent,
      verbosity: r.verbosity,
    })),
    metric_model: METRIC_MODEL,
    feedback_model: FEEDBACK_MODEL,
    length_bands: LENGTH_BANDS,
    rated_release: RATED_RELEASE,
    raters: RATERS,
  };

  const files = new Map<string, string>();
  files.set("logs.jsonl", jsonl(checked(ProdLogRecord, logs.map(logRecord), "logs.jsonl")));
  files.set("pii_truth.jsonl", jsonl(pii));
  files.set("pii_near_misses.jsonl", jsonl(nearMisses(logs)));
  files.set("eval_queries.jsonl", jsonl(checked(EvalItem, evalRecords, "eval_queries.jsonl")));
  files.set(
    "feedback_items.jsonl",
    jsonl(checked(EvalItem, feedbackItems.map((i) => evalRecord(i, true)), "feedback_items.jsonl")),
  );
  files.set(
    "releases.csv",
    csv(checked(Release, releaseRows, "releases.csv"), Object.keys(releaseRows[0])),
  );
  files.set(
    "regression_cases.jsonl",
    jsonl(checked(RegressionCase, caseRecords, "regression_cases.jsonl")),
  );
  for (const a of answers) {
    files.set(
      `responses/${a.release}.jsonl`,
      jsonl(checked(Response, a.responses, `responses/${a.release}.jsonl`)),
    );
    files.set(`truth/${a.release}.jsonl`, jsonl(a.truth));
  }
  for (const a of caseAnswers) {
    files.set(
      `case_responses/${a.release}.jsonl`,
      jsonl(checked(Response, a.responses, `case_responses/${a.release}.jsonl`)),
    );
    files.set(`truth/cases/${a.release}.jsonl`, jsonl(a.truth));
  }
  for (const [rater, rows] of Object.entries(sheets)) {
    files.set(
      `ratings/${rater}.csv`,
      csv(checked(HumanRating, rows, `ratings/${rater}.csv`), ratingColumns),
    );
  }
  files.set("truth/latent_quality.json", JSON.stringify(latent, null, 2) + "\n");

  for (const [name, text] of files) {
    const path = `${outDir}/${name}`;
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(path, text);
  }
  const piiByType: Record<string, number> = {};
  for (const t of PII_TYPES) piiByType[t] = pii.filter((p) => p.type === t).length;
  return {
    files: [...files.keys()].sort(),
    logs: logs.length,
    evalItems: items.length,
    regressionCases: cases.length,
    logsWithPii: new Set(pii.map((p) => p.log_id)).size,
    piiByType,
    nearMisses: nearMisses(logs).length,
    multiTurn: logs.filter((l) => l.turns.length > 1).length,
    nonEnglish: logs.filter((l) => l.lang !== "en").length,
    duplicatesPlanted: {
      exact: logs.filter((l) =>
        l.duplicateOf !== null &&
        l.turns[0].text === logs.find((x) => x.seq === l.duplicateOf)!.turns[0].text
      ).length,
      near: logs.filter((l) =>
        l.duplicateOf !== null &&
        l.turns[0].text !== logs.find((x) => x.seq === l.duplicateOf)!.turns[0].text
      ).length,
    },
    repeatedQueries: countRepeats(logs),
  };
}

if (import.meta.main) {
  const outDir = Deno.args[0] ??
    decodeURIComponent(new URL(".", import.meta.url).pathname).replace(/\/$/, "");
  const summary = await generateWorld(outDir);
  console.error(`Wrote ${summary.files.length} files to ${outDir}`);
  console.error(JSON.stringify({ ...summary, files: undefined }));
}
