import assert from "node:assert/strict";
import { z } from "zod";
import { readRecords } from "../io/read.ts";
import { demoPaths, PiiTruth } from "../demo_world.ts";
import { ProdLogRecord } from "../schemas.ts";
import { contentText } from "../messages.ts";
import {
  addPiiCounts,
  anonymizeItem,
  anonymizeText,
  detectPii,
  emptyPiiCounts,
  PII_TYPES,
  type PiiSpan,
  type PiiType,
} from "./anonymize.ts";
import {
  cardIinValid,
  ibanValid,
  ipv4Valid,
  ipv6Groups,
  looksRandom,
  luhnValid,
  shannonEntropy,
  ssnValid,
} from "./_pii_patterns.ts";

/** The spans as `[type, value]` pairs, for readable assertions. */
function found(text: string): [PiiType, string][] {
  return detectPii(text).map((s) => [s.type, s.value]);
}

/**
 * Positives: the text, the type and the exact value that must be found. Each
 * case is also checked for being the only span in its text.
 */
const POSITIVES: Record<PiiType, [text: string, value: string][]> = {
  email: [
    ["my email is maria.lopez@gmail.com thx", "maria.lopez@gmail.com"],
    ["send it to John.Smith+billing@AcmePlumbing.com.", "John.Smith+billing@AcmePlumbing.com"],
    ["wei_chen@nguyenbakery.co.uk is the login", "wei_chen@nguyenbakery.co.uk"],
    ["(contact: o'brien@example.ie)", "o'brien@example.ie"],
    ["x@y.io", "x@y.io"],
    ['my email is "john doe"@example.com thx', '"john doe"@example.com'],
    ["cc j.smith@пример.испытание, she handles billing", "j.smith@пример.испытание"],
    ["用户@example.com.br never got it", "用户@example.com.br"],
    ["dev@xn--bcher-kva.example ok", "dev@xn--bcher-kva.example"],
    ["account email:lea-kim@mail.example-domain.de, pls", "lea-kim@mail.example-domain.de"],
  ],
  phone: [
    ["call me at +1 (415) 555-0132 today", "+1 (415) 555-0132"],
    ["my number is +44 20 7946 0958", "+44 20 7946 0958"],
    ["phone: +49 30 12345678", "+49 30 12345678"],
    ["you can text +33 6 12 34 56 78", "+33 6 12 34 56 78"],
    ["+44 (0)20 7946 0958 is the office", "+44 (0)20 7946 0958"],
    ["+91 98765 43210", "+91 98765 43210"],
    ["+81 3-1234-5678", "+81 3-1234-5678"],
    ["+4915112345678", "+4915112345678"],
    ["0044 20 7946 0958", "0044 20 7946 0958"],
    ["the client's phone is (415) 555-0132", "(415) 555-0132"],
    ["415-555-0132", "415-555-0132"],
    ["415.555.0132", "415.555.0132"],
    ["1-800-555-0199", "1-800-555-0199"],
    ["UK office 020 7946 0958", "020 7946 0958"],
    ["mobile 07700 900123", "07700 900123"],
    ["Büro (030) 1234 5678", "(030) 1234 5678"],
    ["Tel. 089/1234567", "089/1234567"],
    ["appelez le 06 12 34 56 78", "06 12 34 56 78"],
    ["ou le 01.23.45.67.89", "01.23.45.67.89"],
    ["call 4155550132 after 5", "4155550132"],
    ["call 555-1234 after 5", "555-1234"],
    ["fax: +1 212 555 0100 (office)", "+1 212 555 0100"],
    ["ticket #299 0033 6 13 12 74 81 is the office", "0033 6 13 12 74 81"],
    ["Tel.: +86 131 7784 6230 ext 523", "+86 131 7784 6230 ext 523"],
    ["meu celular é 09047557087", "09047557087"],
    ["131 7784 6230 is my whatsapp", "131 7784 6230"],
    ["8 (974) 265-72-92", "8 (974) 265-72-92"],
    ["(11) 96602-5487", "(11) 96602-5487"],
  ],
  card: [
    ["my card 4111 1111 1111 1111 was charged", "4111 1111 1111 1111"],
    ["card number 5555-5555-5555-4444", "5555-5555-5555-4444"],
    ["amex 3782 822463 10005", "3782 822463 10005"],
    ["it was charged to 4242424242424242", "4242424242424242"],
    ["discover 6011 1111 1111 1117 exp 09/28", "6011 1111 1111 1117"],
    ["the card is 4111 1111 1111 1111 2028", "4111 1111 1111 1111"],
    ["visa 13: 4222222222222", "4222222222222"],
    ["ticket #957 4111 1111 1111 1111 - please refund", "4111 1111 1111 1111"],
    ["UATP 1234 56789 012347 ok", "1234 56789 012347"],
    ["maestro 6759 6498 2648", "6759 6498 2648"],
  ],
  ipv4: [
    ["requests from 203.0.113.42 get blocked", "203.0.113.42"],
    ["our server IP is 10.0.0.1.", "10.0.0.1"],
    ["I'm connecting from 192.168.1.10:8080", "192.168.1.10"],
    ["whitelist 172.16.254.1/32 please", "172.16.254.1"],
    ["http://8.8.8.8/admin", "8.8.8.8"],
    ["netmask 255.255.255.0", "255.255.255.0"],
  ],
  ipv6: [
    ["our server is at 2001:db8::8a2e:370:7334", "2001:db8::8a2e:370:7334"],
    [
      "full 2001:0db8:85a3:0000:0000:8a2e:0370:7334 form",
      "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
    ],
    ["mapped ::ffff:192.0.2.128 address", "::ffff:192.0.2.128"],
    ["requests from [2001:db8::1]:443 fail", "2001:db8::1"],
    ["IPv6 address fe80::1ff:fe23:4567:890a.", "fe80::1ff:fe23:4567:890a"],
    ["link-local fe80::1", "fe80::1"],
    ["it only listens on ::1 now", "::1"],
    ["the server listens on [::]:8080", "::"],
    ["ping fe80::1ff:fe23:4567:890a%eth0 works", "fe80::1ff:fe23:4567:890a"],
    ["route 2001:db8::/32 via the tunnel", "2001:db8::"],
  ],
  secret: [
    ["here is my API key sk-proj-abcDEF1234567890abcdefXYZ", "sk-proj-abcDEF1234567890abcdefXYZ"],
    ["using key sk-abcdefghijklmnop1234", "sk-abcdefghijklmnop1234"],
    ["aws AKIAIOSFODNN7EXAMPLE leaked", "AKIAIOSFODNN7EXAMPLE"],
    [
      "ghp_abcdefghijklmnopqrstuvwxyz0123456789 is my token",
      "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
    ],
    [
      "slack xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
      "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
    ],
    [
      "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    ],
    ["header is Bearer a1b2c3d4e5f6g7h8.", "a1b2c3d4e5f6g7h8"],
    ["set LEDGERLY_KEY=lk_4fG7hJ2kL9mN3pQ8rS5tV1wX", "lk_4fG7hJ2kL9mN3pQ8rS5tV1wX"],
    ["my token is 3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e", "3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e"],
    [
      "blob Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg== end",
      "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg==",
    ],
    ["random Kq8Zt2LmX9vB4nR7wP1sD6fH3jY5cA0eG in text", "Kq8Zt2LmX9vB4nR7wP1sD6fH3jY5cA0eG"],
    ["callback?code=Kq8Zt2LmX9vB4nR7wP1sD6fH3jY5cA0eG&x=1", "Kq8Zt2LmX9vB4nR7wP1sD6fH3jY5cA0eG"],
  ],
  iban: [
    ["my IBAN is DE89 3704 0044 0532 0130 00", "DE89 3704 0044 0532 0130 00"],
    ["payouts should go to GB82WEST12345698765432.", "GB82WEST12345698765432"],
    ["bank account FR14 2004 1010 0505 0001 3M02 606", "FR14 2004 1010 0505 0001 3M02 606"],
    ["IBAN: NL91ABNA0417164300", "NL91ABNA0417164300"],
    ["iban: gb82 west 1234 5698 7654 32 is it", "gb82 west 1234 5698 7654 32"],
    ["ES91 2100 0418 4502 0005 1332", "ES91 2100 0418 4502 0005 1332"],
    ["swiss CH93 0076 2011 6238 5295 7", "CH93 0076 2011 6238 5295 7"],
  ],
  ssn: [
    ["my SSN is 078-05-1120", "078-05-1120"],
    ["SSN 219-09-9999 for the 1099", "219-09-9999"],
    ["social security number 219 09 9999", "219 09 9999"],
    ["my ssn is 219099999", "219099999"],
    ["it's 536-22-1234, thx", "536-22-1234"],
    ["the W-9 says 468.25.0147 but that's wrong", "468.25.0147"],
  ],
  address: [
    ["bill to 221B Baker Street, London NW1 6XE", "221B Baker Street, London NW1 6XE"],
    ["we moved to 10 Downing Street", "10 Downing Street"],
    ["ship to 500 Market St, San Francisco, CA 94103", "500 Market St, San Francisco, CA 94103"],
    [
      "office at 1600 Pennsylvania Avenue NW, Washington, DC 20500",
      "1600 Pennsylvania Avenue NW, Washington, DC 20500",
    ],
    ["12 Main St. Apt 4B", "12 Main St. Apt 4B"],
    ["500 W 42nd St", "500 W 42nd St"],
    ["meine Adresse: Hauptstraße 5", "Hauptstraße 5"],
    ["Musterweg 12", "Musterweg 12"],
    ["Friedrichstraße 43, 10117 Berlin", "Friedrichstraße 43, 10117 Berlin"],
    ["Berliner Str. 12", "Berliner Str. 12"],
    ["12 rue de la Paix", "12 rue de la Paix"],
    ["12 rue de Rivoli, 75001 Paris", "12 rue de Rivoli, 75001 Paris"],
    ["Calle Mayor 10, 28013 Madrid", "Calle Mayor 10, 28013 Madrid"],
    ["Avenida da Liberdade 110, 1250-146 Lisboa", "Avenida da Liberdade 110, 1250-146 Lisboa"],
  ],
}; // deno-fmt-ignore

/** Negatives: texts in which the given type must not be found (nor, mostly, anything else). */
const NEGATIVES: Record<PiiType, string[]> = {
  email: ["see @mention and foo@bar", "name@localhost", "version 1.2@beta", "a@b.c", "user@ domain.com"],
  phone: [
    "ticket 1234-567-8901",
    "on 14.03.2026 and 2026-03-14",
    "due 03/14/2026",
    "invoice INV-2026-00042",
    "order 2026-555-0132",
    "build 20260314",
    "version 2.14.3",
    "paid $1,250.00 and €2.300",
    "call me at 12:30",
    "1,234,567 rows",
    "ISBN 978-3-16-148410-0",
    "1000 users in 5001 workspaces",
    "call at 10.30 - 12.00",
    "text me 2 times",
    "phone: 2026-03-14",
  ],
  card: [
    "card 4111 1111 1111 1112",
    "ref 1234 5678 9012 3456",
    "0000 0000 0000 0000",
    "9111111111111111",
    "12345678901234567890",
    "DE89 3704 0044 0532 0130 01",
  ],
  ipv4: [
    "version 10.2.0.1",
    "Chrome 120.0.6099.109",
    "256.1.1.1",
    "1.2.3 and 1.2.3.4.5",
    "192.168.01.1",
    "v1.2.3.4",
  ],
  ipv6: ["meet at 10:30 or 10:30:15", "mac 00:1A:2B:3C:4D:5E", "std::vector", "1::2", "dead::beef", "2001:db8::1::2", "f :: Int -> Int", "Array<T>::map"],
  secret: [
    "use a Bearer token",
    "Bearer abc",
    "request 550e8400-e29b-41d4-a716-446655440000 failed",
    "Supercalifragilisticexpialidocious_and_more_words",
    "https://docs.ledgerly.com/api/v2/invoices/INV-2026-0088/payments",
    "getUserAccountSettingsByIdV2Handler",
    "password reset email not arriving",
    "the token expired",
    "sk-short",
    "fixed in 049ee0bb0ffd3eac55da4d848033b2bf508479fb",
    "my password is incorrect",
  ],
  iban: [
    "DE89 3704 0044 0532 0130 01",
    "DE89 3704 0044 0532 0130",
    "XX89 3704 0044 0532 0130 00",
    "GB82WEST123456987654321",
    "AB12 order",
    "GI75 NWBK 0000 0000 7099 454",
  ],
  ssn: ["000-12-3456", "666-12-3456", "900-12-3456", "123-00-4567", "123-45-0000", "2026-03-1234", "ref 123-45-6789-0"],
  address: [
    "I have 3 invoices due this week",
    "send 2 reminders the same way",
    "we sent 10 Invoices Today",
    "during 5 days",
    "Chapter 3 Way Forward",
    "the 5th Avenue store",
    "it took 2 Pro Plan days",
    "Plaza 5",
    "Version 2 Road Map",
  ],
}; // deno-fmt-ignore

for (const type of PII_TYPES) {
  Deno.test(`detectPii() finds ${type} in ${POSITIVES[type].length} hand-made positives`, () => {
    for (const [text, value] of POSITIVES[type]) {
      assert.deepEqual(found(text), [[type, value]], text);
    }
  });
  Deno.test(`detectPii() finds no ${type} in ${NEGATIVES[type].length} near-misses`, () => {
    for (const text of NEGATIVES[type]) {
      assert.deepEqual(found(text).filter(([t]) => t === type), [], text);
    }
  });
}

Deno.test("detectPii() finds nothing at all in ordinary support queries", () => {
  for (
    const text of [
      "hi! how do i void invoce INV-1042?? thx",
      "Card refunds take 5-10 business days to reach the client",
      "€480 charged twice on 2026-03-14 at 10:30, ticket #2291",
      "Error 401 after the last update (v2.14.3) on my Windows laptop",
      "can emails come from my own domain",
      "what rate do you use for EUR conversion? 1.5% or 2%",
      "la tarjeta de Acme Plumbing sigue siendo rechazada 🙏",
      "J'ai perdu mon téléphone avec la double authentification",
      "Hey there 👋 reminder emails not sending - also is it going to rain tomorrow?",
      "support phone number?",
    ]
  ) {
    assert.deepEqual(found(text), [], text);
  }
});

Deno.test("detectPii() returns UTF-16 offsets that slice to the value", () => {
  const text = "Grüße 👋 — mail ana@example.com oder Hauptstraße 5 ☎ +49 30 12345678";
  const spans = detectPii(text);
  assert.deepEqual(spans.map((s) => s.type), ["email", "address", "phone"]);
  for (const s of spans) assert.equal(text.slice(s.start, s.end), s.value);
});

Deno.test("detectPii() resolves overlaps: an IBAN is not also a card, an email not a secret", () => {
  assert.deepEqual(found("DE89 3704 0044 0532 0130 00"), [["iban", "DE89 3704 0044 0532 0130 00"]]);
  assert.deepEqual(found("mail Kq8Zt2LmX9vB4nR7wP1sD6fH3jY5cA0eGz@example.com"), [
    ["email", "Kq8Zt2LmX9vB4nR7wP1sD6fH3jY5cA0eGz@example.com"],
  ]);
  assert.deepEqual(found("::ffff:192.0.2.128"), [["ipv6", "::ffff:192.0.2.128"]]);
  const spans: PiiSpan[] = detectPii(
    "a@b.io 4111111111111111 203.0.113.9 +44 20 7946 0958 078-05-1120",
  );
  for (let i = 1; i < spans.length; i++) assert.ok(spans[i - 1].end <= spans[i].start);
  assert.deepEqual(spans.map((s) => s.type), ["email", "card", "ipv4", "phone", "ssn"]);
});

Deno.test("detectPii() looks only for the types asked for", () => {
  const text = "a@b.io or +44 20 7946 0958";
  assert.deepEqual(detectPii(text, { types: ["phone"] }).map((s) => s.type), ["phone"]);
  assert.deepEqual(detectPii(text, { types: [] }), []);
});

Deno.test("detectPii() throws a RangeError naming an unknown type", () => {
  assert.throws(
    () => detectPii("x", { types: ["passport" as PiiType] }),
    (e: unknown) =>
      e instanceof RangeError &&
      e.message === 'detectPii(): unknown PII type "passport", expected one of ' +
          "email, phone, card, ipv4, ipv6, secret, iban, ssn, address",
  );
});

Deno.test("luhnValid(), ibanValid(), ipv4Valid(), ssnValid() accept and reject known values", () => {
  assert.ok(luhnValid("4111111111111111"));
  assert.ok(luhnValid("378282246310005"));
  assert.ok(!luhnValid("4111111111111112"));
  assert.ok(!luhnValid("41x1"));
  assert.ok(ibanValid("DE89370400440532013000"));
  assert.ok(ibanValid("GB82WEST12345698765432"));
  assert.ok(!ibanValid("DE89370400440532013001"));
  assert.ok(!ibanValid("DE8937040044053201300")); // one short for DE
  assert.ok(ipv4Valid("0.0.0.0") && ipv4Valid("255.255.255.255"));
  assert.ok(!ipv4Valid("1.2.3.256") && !ipv4Valid("01.2.3.4") && !ipv4Valid("1.2.3"));
  assert.ok(ssnValid("078", "05", "1120"));
  assert.ok(!ssnValid("000", "05", "1120") && !ssnValid("666", "05", "1120"));
  assert.ok(!ssnValid("912", "05", "1120") && !ssnValid("078", "00", "1120"));
  assert.ok(!ssnValid("078", "05", "0000"));
});

Deno.test("ipv6Groups() expands compressed forms and rejects malformed ones", () => {
  assert.deepEqual(ipv6Groups("2001:DB8::1"), ["2001", "db8", "0", "0", "0", "0", "0", "1"]);
  assert.deepEqual(ipv6Groups("::ffff:192.0.2.128"), [
    "0",
    "0",
    "0",
    "0",
    "0",
    "ffff",
    "c000",
    "280",
  ]);
  assert.deepEqual(ipv6Groups("1:2:3:4:5:6:7::"), ["1", "2", "3", "4", "5", "6", "7", "0"]);
  assert.equal(ipv6Groups("1:2:3:4:5:6:7"), undefined);
  assert.equal(ipv6Groups("1::2::3"), undefined);
  assert.equal(ipv6Groups("12345::1"), undefined);
  assert.equal(ipv6Groups("1:2:3:4:5:6:7:8:9"), undefined);
});

Deno.test("looksRandom() takes random tokens and leaves words, paths and UUIDs", () => {
  assert.ok(looksRandom("Kq8Zt2LmX9vB4nR7wP1sD6fH3jY5cA0eG"));
  assert.ok(looksRandom("3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e"));
  assert.ok(!looksRandom("Kq8Zt2LmX9vB4nR7")); // too short
  assert.ok(!looksRandom("550e8400-e29b-41d4-a716-446655440000"));
  assert.ok(!looksRandom("the_quick_brown_fox_jumps_over_the_lazy_dog_42_times"));
  assert.ok(!looksRandom("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa11"));
  assert.equal(shannonEntropy(""), 0);
  assert.equal(shannonEntropy("abab"), 1);
});

Deno.test("anonymizeText() replaces only the spans and keeps the rest byte for byte", () => {
  const text = "hi!!  my emial is  Maria@Example.com\n\tand card 4111 1111 1111 1111 — thx 🙏 ";
  const result = anonymizeText(text);
  assert.equal(result.text, "hi!!  my emial is  <EMAIL_1>\n\tand card <CARD_1> — thx 🙏 ");
  assert.deepEqual(result.spans.map((s) => s.placeholder), ["<EMAIL_1>", "<CARD_1>"]);
  assert.deepEqual(result.counts, { ...emptyPiiCounts(), email: 1, card: 1 });
  // a text without PII comes back identical, state untouched
  const clean = anonymizeText("teh invoce  is  late", result.state);
  assert.equal(clean.text, "teh invoce  is  late");
  assert.equal(clean.state, result.state);
});

Deno.test("anonymizeText() numbers per type and reuses a placeholder for the same value", () => {
  const { text, counts } = anonymizeText(
    "Maria@example.com, bob@example.com, maria@EXAMPLE.com; +1 (415) 555-0132 = 415.555.0132; " +
      "IBAN DE89370400440532013000 aka de89 3704 0044 0532 0130 00; 2001:db8::1 is 2001:0DB8:0:0:0:0:0:1",
  );
  assert.equal(
    text,
    "<EMAIL_1>, <EMAIL_2>, <EMAIL_1>; <PHONE_1> = <PHONE_1>; " +
      "IBAN <IBAN_1> aka <IBAN_1>; <IPV6_1> is <IPV6_1>",
  );
  assert.equal(counts.email, 3);
  assert.equal(counts.phone, 2);
  assert.equal(counts.iban, 2);
  assert.equal(counts.ipv6, 2);
});

Deno.test("anonymizeText() leaves its own output unchanged", () => {
  const text = "a@b.io +44 20 7946 0958 4111111111111111 203.0.113.9 2001:db8::1 " +
    "AKIAIOSFODNN7EXAMPLE DE89370400440532013000 078-05-1120 10 Downing Street";
  const once = anonymizeText(text).text;
  assert.equal(anonymizeText(once).text, once);
  assert.deepEqual(detectPii(once), []);
});

Deno.test("anonymizeText() does not modify the state it is given", () => {
  const first = anonymizeText("a@example.com");
  const snapshot = JSON.stringify(first.state);
  const second = anonymizeText("b@example.com and a@example.com", first.state);
  assert.equal(JSON.stringify(first.state), snapshot);
  assert.equal(second.text, "<EMAIL_2> and <EMAIL_1>");
  // the same state can be reused for a different continuation
  assert.equal(anonymizeText("c@example.com", first.state).text, "<EMAIL_2>");
});

Deno.test("anonymizeText() uses every type's placeholder name", () => {
  const text = "a@b.io +44 20 7946 0958 4111111111111111 203.0.113.9 2001:db8::1 " +
    "AKIAIOSFODNN7EXAMPLE DE89370400440532013000 078-05-1120 10 Downing Street";
  assert.equal(
    anonymizeText(text).text,
    "<EMAIL_1> <PHONE_1> <CARD_1> <IPV4_1> <IPV6_1> <SECRET_1> <IBAN_1> <SSN_1> <ADDRESS_1>",
  );
});

Deno.test("anonymizeItem() shares numbering across query, turns and response", () => {
  const input = {
    id: "log-7",
    stratum: "billing",
    messages: [
      { role: "user", content: "my email is ana@example.com" },
      { role: "assistant", content: "Thanks! Is ana@example.com your login?" },
      { role: "user", content: "no, use ANA@example.com or bo@example.com, ph 020 7946 0958" },
    ],
    response: "Noted: bo@example.com and 020 7946 0958.",
    reference: ["ana@example.com stays in references"],
  };
  const frozen = structuredClone(input);
  const { item, counts } = anonymizeItem(input);
  assert.deepEqual(item.messages.map((m) => m.content), [
    "my email is <EMAIL_1>",
    "Thanks! Is <EMAIL_1> your login?",
    "no, use <EMAIL_1> or <EMAIL_2>, ph <PHONE_1>",
  ]);
  assert.deepEqual(item.messages.map((m) => m.role), ["user", "assistant", "user"]);
  assert.equal(item.response, "Noted: <EMAIL_2> and <PHONE_1>.");
  assert.equal(item.id, "log-7");
  assert.equal(item.stratum, "billing");
  assert.deepEqual(item.reference, input.reference);
  assert.deepEqual(counts, { ...emptyPiiCounts(), email: 5, phone: 2 });
  assert.deepEqual(input, frozen, "the input is not modified");
});

Deno.test("anonymizeItem() handles a query item and a null response", () => {
  const { item, counts } = anonymizeItem({
    query: "IP 10.0.0.1 blocked, key sk-abcdefghijklmnop1234",
    response: null,
  });
  assert.equal(item.query, "IP <IPV4_1> blocked, key <SECRET_1>");
  assert.equal(item.response, null);
  assert.equal(counts.ipv4 + counts.secret, 2);
  assert.deepEqual(anonymizeItem({ query: "nothing here" }).item, { query: "nothing here" });
});

Deno.test("addPiiCounts() adds type by type and emptyPiiCounts() has every type at zero", () => {
  assert.deepEqual(Object.keys(emptyPiiCounts()), [...PII_TYPES]);
  assert.ok(Object.values(emptyPiiCounts()).every((v) => v === 0));
  const a = { ...emptyPiiCounts(), email: 1, ssn: 2 };
  const b = { ...emptyPiiCounts(), email: 3 };
  assert.deepEqual(addPiiCounts(a, b), { ...emptyPiiCounts(), email: 4, ssn: 2 });
});

// ---------------------------------------------------------------------------
// Generated values: many random valid (and invalid) values of the checksummed
// types, from a seeded generator, so the validators are exercised beyond the
// hand-made cases.

/** mulberry32: a tiny seeded generator of doubles in [0, 1). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomDigits(rand: () => number, n: number): string {
  let out = "";
  for (let i = 0; i < n; i++) out += Math.floor(rand() * 10);
  return out;
}

function luhnCheckDigit(body: string): string {
  for (let d = 0; d < 10; d++) if (luhnValid(body + d)) return String(d);
  throw new Error("unreachable");
}

function ibanWithCheck(country: string, bban: string): string {
  const numeric = (bban + country + "00").replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (const digit of numeric) rest = (rest * 10 + Number(digit)) % 97;
  return country + String(98 - rest).padStart(2, "0") + bban;
}

function group(value: string, size: number, sep: string): string {
  return value.match(new RegExp(`.{1,${size}}`, "g"))!.join(sep);
}

Deno.test("detectPii() finds 500 generated Luhn-valid cards and no Luhn-failing ones", () => {
  const rand = seeded(7);
  // [issuer prefix, length]: Visa, Mastercard (both series), Amex, Discover, JCB, UnionPay
  const networks = [
    ["4", 13],
    ["4", 16],
    ["4", 19],
    ["53", 16],
    ["2720", 16],
    ["37", 15],
    [
      "6011",
      16,
    ],
    ["3530", 16],
    ["62", 19],
  ] as const;
  for (let i = 0; i < 500; i++) {
    const [prefix, length] = networks[i % networks.length];
    const body = prefix + randomDigits(rand, length - prefix.length - 1);
    const good = body + luhnCheckDigit(body);
    const bad = body + ((Number(luhnCheckDigit(body)) + 1 + Math.floor(rand() * 9)) % 10);
    const sep = ["", " ", "-"][i % 3];
    for (const [number, expected] of [[good, "card"], [bad, undefined]] as const) {
      const shown = sep === "" ? number : group(number, 4, sep);
      const spans = detectPii(`my card ${shown} was charged`);
      assert.deepEqual(
        spans.map((s) => s.type).filter((t) => t === "card"),
        expected ? [expected] : [],
        shown,
      );
      if (expected) assert.equal(spans[0].value, shown);
    }
  }
});

Deno.test("detectPii() takes no Luhn-valid number outside every network's prefixes and lengths", () => {
  const rand = seeded(8);
  for (let i = 0; i < 300; i++) {
    // 7, 8 and 9 start no card network's range; 5 with 13 digits is no network's length
    const [first, length] = [["7", 16], ["8", 16], ["9", 16], ["51", 13]][i % 4] as [
      string,
      number,
    ];
    const body = first + randomDigits(rand, length - first.length - 1);
    const number = body + luhnCheckDigit(body);
    assert.ok(!cardIinValid(number), number);
    assert.deepEqual(found(`ref ${group(number, 4, " ")} ok`).filter(([t]) => t === "card"), []);
  }
});

Deno.test("detectPii() finds 300 generated checksum-valid IBANs and no altered ones", () => {
  const rand = seeded(11);
  const countries = ["DE", "FR", "GB", "NL", "ES", "IT", "BE", "CH", "AT", "PL", "PT", "IE", "SE"];
  const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  for (let i = 0; i < 300; i++) {
    const country = countries[i % countries.length];
    const bbanLength = ({
      DE: 22,
      FR: 27,
      GB: 22,
      NL: 18,
      ES: 24,
      IT: 27,
      BE: 16,
      CH: 21,
      AT: 20,
      PL: 28,
      PT: 25,
      IE: 22,
      SE: 24,
    } as Record<string, number>)[country] - 4; // deno-fmt-ignore
    const bank = ["GB", "NL", "IE"].includes(country)
      ? Array.from({ length: 4 }, () => letters[Math.floor(rand() * 26)]).join("")
      : "";
    const iban = ibanWithCheck(country, bank + randomDigits(rand, bbanLength - bank.length));
    const shown = i % 2 === 0 ? iban : group(iban, 4, " ");
    assert.deepEqual(found(`payouts should go to ${shown} thanks`), [["iban", shown]], shown);
    // change one digit of the account part: mod-97 catches every single-digit change
    const at = iban.length - 1 - Math.floor(rand() * 6);
    const altered = iban.slice(0, at) + ((Number(iban[at]) + 1) % 10) + iban.slice(at + 1);
    assert.ok(!ibanValid(altered), altered);
    assert.deepEqual(
      found(`payouts should go to ${altered} thanks`).filter(([t]) => t === "iban"),
      [],
    );
  }
});

Deno.test("detectPii() finds 300 generated IPv4, IPv6 and SSN values", () => {
  const rand = seeded(13);
  const hex = () => Math.floor(rand() * 65536).toString(16);
  for (let i = 0; i < 300; i++) {
    const ipv4 = Array.from({ length: 4 }, () => Math.floor(rand() * 256)).join(".");
    assert.deepEqual(found(`requests from ${ipv4} get blocked`), [["ipv4", ipv4]]);
    const groups = Array.from({ length: 8 }, () => (rand() < 0.3 ? "0" : hex()));
    const zeroFrom = Math.floor(rand() * 6);
    const zeroTo = zeroFrom + 1 + Math.floor(rand() * 2);
    for (let g = zeroFrom; g <= zeroTo; g++) groups[g] = "0";
    const compressed = groups.slice(0, zeroFrom).join(":") + "::" +
      groups.slice(zeroTo + 1).join(":");
    for (const ipv6 of [groups.join(":"), compressed]) {
      if (!/\d/.test(ipv6)) continue; // digit-free forms are out of scope by rule
      assert.deepEqual(found(`our server is at ${ipv6} now`), [["ipv6", ipv6]], ipv6);
    }
    const area = String(1 + Math.floor(rand() * 899)).padStart(3, "0");
    const ssn =
      `${area === "666" ? "667" : area}-${String(1 + Math.floor(rand() * 99)).padStart(2, "0")}-` +
      String(1 + Math.floor(rand() * 9999)).padStart(4, "0");
    assert.deepEqual(found(`SSN ${ssn} for the 1099`), [["ssn", ssn]]);
  }
});

Deno.test("looksRandom() accepts ≥ 99% of 2,000 generated 40-character tokens", () => {
  const rand = seeded(17);
  const alphabets = [
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
    "0123456789abcdef",
    "abcdefghijklmnopqrstuvwxyz0123456789",
  ];
  let accepted = 0;
  for (let i = 0; i < 2000; i++) {
    const alphabet = alphabets[i % alphabets.length];
    let token = "";
    for (let j = 0; j < 40; j++) token += alphabet[Math.floor(rand() * alphabet.length)];
    if (looksRandom(token)) accepted++;
  }
  assert.ok(accepted >= 1980, `accepted ${accepted} of 2000`);
});

// ---------------------------------------------------------------------------
// The demo world's planted PII

/** One planted value that is not PII (an order number, a Luhn-failing number, …). */
const NearMiss = z.object({
  log_id: z.string(),
  field: z.string(),
  kind: z.string(),
  value: z.string(),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
});

/**
 * Recall and precision against the demo world's ground truth, over every log's
 * `query` and every message's `content` (earlier and assistant turns included).
 *
 * - A planted value counts as found when a detected span of the same type
 *   overlaps it (a value found under another type label is a miss for its type).
 * - A detected span is a true positive when it overlaps a planted value of any
 *   type: whatever the label, the value is redacted. Anything else, including
 *   a planted near-miss, is a false positive.
 */
Deno.test("anonymizer finds ≥ 99% of the demo world's planted PII at ≥ 95% precision", async () => {
  const paths = demoPaths();
  const logs = await readRecords(paths.logs, ProdLogRecord);
  const truth = await readRecords(paths.pii, PiiTruth);
  const nearFile = paths.pii.replace(/pii_truth\.jsonl$/, "pii_near_misses.jsonl");
  const near = await readRecords(nearFile, NearMiss).catch(() => []);

  const texts = new Map<string, string>();
  for (const log of logs) {
    if (log.query !== undefined) texts.set(`${log.id}|query`, log.query);
    log.messages?.forEach((m, i) =>
      texts.set(`${log.id}|messages[${i}].content`, contentText(m.content))
    );
  }
  const byField = <T extends { log_id: string; field: string }>(rows: T[]) => {
    const map = new Map<string, T[]>();
    for (const r of rows) {
      const key = `${r.log_id}|${r.field}`;
      map.set(key, [...(map.get(key) ?? []), r]);
    }
    return map;
  };
  const truthBy = byField(truth);
  const nearBy = byField(near);
  const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) =>
    a.start < b.end && b.start < a.end;

  const stats = Object.fromEntries(
    PII_TYPES.map((t) => [t, { planted: 0, found: 0, detected: 0, correct: 0 }]),
  ) as Record<PiiType, { planted: number; found: number; detected: number; correct: number }>;
  let nearFlagged = 0;
  for (const t of truth) {
    const text = texts.get(`${t.log_id}|${t.field}`);
    assert.equal(text?.slice(t.start, t.end), t.value, `truth offsets of ${t.log_id} ${t.field}`);
    assert.ok((PII_TYPES as readonly string[]).includes(t.type), `unknown truth type ${t.type}`);
  }
  for (const [key, text] of texts) {
    const spans = detectPii(text);
    const planted = truthBy.get(key) ?? [];
    for (const p of planted) {
      const s = stats[p.type as PiiType];
      s.planted++;
      if (spans.some((d) => d.type === p.type && overlaps(d, p))) s.found++;
    }
    for (const d of spans) {
      stats[d.type].detected++;
      if (planted.some((p) => overlaps(d, p))) stats[d.type].correct++;
      else if ((nearBy.get(key) ?? []).some((n) => overlaps(d, n))) nearFlagged++;
    }
  }
  const sum = (k: "planted" | "found" | "detected" | "correct") =>
    PII_TYPES.reduce((n, t) => n + stats[t][k], 0);
  const recall = sum("found") / sum("planted");
  const precision = sum("correct") / sum("detected");
  const pct = (
    a: number,
    b: number,
  ) => (b === 0 ? "   n/a" : `${(100 * a / b).toFixed(1)}%`.padStart(6));
  const lines = PII_TYPES.map((t) => {
    const s = stats[t];
    return `  ${t.padEnd(8)} planted ${String(s.planted).padStart(4)}  recall ${
      pct(s.found, s.planted)
    }` +
      `  detected ${String(s.detected).padStart(4)}  precision ${pct(s.correct, s.detected)}`;
  });
  console.log(
    [
      `demo world: ${texts.size} texts, ${
        sum("planted")
      } planted PII values, ${near.length} near-misses`,
      ...lines,
      `  overall  recall ${(100 * recall).toFixed(2)}%  precision ${
        (100 * precision).toFixed(2)
      }%` +
      `  (near-misses flagged: ${nearFlagged})`,
    ].join("\n"),
  );
  assert.ok(sum("planted") > 0, "the demo world plants PII");
  assert.ok(recall >= 0.99, `recall ${recall} below 0.99`);
  assert.ok(precision >= 0.95, `precision ${precision} below 0.95`);
});
