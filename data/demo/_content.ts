/**
 * The words of the demo world: Ledgerly's support intents (query templates,
 * the facts a correct answer states, the wrong claims a bad answer makes),
 * slot values, translations, follow-ups and the phrase pools the response
 * writer draws from. Pure data; `generate.ts` does the drawing.
 *
 * @module
 */

/** The four prod topics and their share of traffic. */
export const TOPIC_MIX = { billing: 0.6, technical: 0.2, account: 0.1, other: 0.1 } as const;
/** One of the four prod topics. */
export type Topic = keyof typeof TOPIC_MIX;
/** The topics in a fixed order. */
export const TOPICS = Object.keys(TOPIC_MIX) as Topic[];

/** One kind of support question and what a correct answer says. */
export interface Intent {
  /** Short name, unique. */
  key: string;
  topic: Topic;
  /** Relative frequency within its topic. */
  weight: number;
  /** What the question is about, for openers and fillers ("voiding an invoice"). */
  title: string;
  /** English query templates; `{slot}` names a {@link SLOTS} list. */
  templates: string[];
  /** Sentences a correct answer states (verbatim); also the eval items' `reference`. Fact 0 is the primary one. */
  facts: string[];
  /** Plausible wrong claims a bad answer makes instead. */
  wrong: string[];
  /** A short substring of `facts[0]`: a regression case's `must_include`. */
  must: string;
  /** A short substring of `wrong[0]`: a regression case's `must_not_include`. */
  mustNot: string;
}

/**
 * Slot values for query templates. None of them is PII. `inv`, `amount`,
 * `days`, `client` and `count` are also generated (see `generate.ts`).
 */
export const SLOTS: Record<string, string[]> = {
  client: [
    "Acme Plumbing",
    "Bright Design Co",
    "Nguyen Bakery",
    "Oakridge Dental",
    "Rivera Landscaping",
    "Kowalski & Sons",
    "Blue Fern Studio",
    "Harbor Cafe",
    "Mendes Consulting",
    "Polar Freight",
    "Sunrise Yoga",
    "Tran Electric",
    "my client",
    "a customer",
    "my biggest client",
    "one of my clients",
  ],
  days: ["a week", "two weeks", "a month", "all week", "three days", "ten days"],
  ordinal: ["second", "third", "fourth", "fifth"],
  monthName: ["May", "June", "July", "August"],
  plan: ["Starter", "Pro", "Business"],
  method: ["ACH", "card", "SEPA debit", "bank transfer", "Apple Pay", "check"],
  integration: ["QuickBooks", "Xero", "Stripe", "Zapier", "Shopify", "Gusto", "FreshBooks"],
  device: ["iPhone", "Android phone", "iPad", "Chrome", "Safari", "Windows laptop", "Pixel", "Mac"],
  month: ["this month", "in June", "in July", "last month", "this week", "in August", "again"],
  currency: ["EUR", "GBP", "CAD", "AUD", "MXN", "CHF", "euros", "pounds"],
  tax: ["VAT", "sales tax", "GST", "HST", "IVA", "PST"],
  error: [
    "Error 401",
    "error 500",
    "sync failed",
    "a timeout",
    "ERR_RATE_LIMIT",
    "403 Forbidden",
    "error 429",
  ],
  role: [
    "accountant",
    "bookkeeper",
    "office manager",
    "contractor",
    "business partner",
    "assistant",
  ],
  feature: [
    "dark mode",
    "time tracking",
    "expense scanning",
    "multi-language invoices",
    "a client portal",
    "purchase orders",
    "inventory",
    "payroll",
    "a desktop app",
  ],
  pct: ["5%", "1.5%", "10%", "2%", "25%", "50%", "30%"],
  n: ["1000", "5001", "2026-001", "100", "1", "20000"],
  city: ["Paris", "Chicago", "Lisbon", "Berlin", "Austin", "Toronto", "Madrid"],
  when: [
    "yesterday",
    "this morning",
    "after the last update",
    "last week",
    "on Monday",
    "two days ago",
    "today",
  ],
};

/** Trades and surnames for generated client names ("Okafor Roofing"). */
export const CLIENT_PARTS = {
  surnames: [
    "Okafor",
    "Larsen",
    "Moreau",
    "Tanaka",
    "Haddad",
    "Novak",
    "Quinn",
    "Alvarez",
    "Becker",
    "Ito",
    "Walsh",
    "Sato",
    "Ferreira",
    "Jensen",
    "Popescu",
    "Reyes",
    "Morgan",
    "Fischer",
  ],
  trades: [
    "Roofing",
    "Catering",
    "Dental",
    "Photography",
    "Consulting",
    "Plumbing",
    "Design",
    "Logistics",
    "Fitness",
    "Auto Repair",
    "Florist",
    "Law",
    "Cleaning",
    "Bakery",
  ],
};

/** Greetings users open with. */
export const GREETINGS = [
  "hi",
  "Hi,",
  "hello",
  "Hey team,",
  "good morning",
  "Hi there!",
  "hey,",
  "Hello Ledgerly,",
  "Hi, quick question.",
  "Dear support,",
  "Hello, hope you're well.",
  "hiya",
  "Morning!",
  "Hi again,",
  "hey there",
  "Hello -",
];

/** Context users add after the question; `{slot}`s are filled. */
export const CONTEXTS = [
  "I'm on the {plan} plan.",
  "this is for {client}",
  "it's about invoice {inv}",
  "been trying for {days}",
  "I'm using the app on my {device}",
  "we're a small {trade} business",
  "I have about {count} clients",
  "this started {when}",
  "my accountant asked me to sort this out",
  "it's urgent, the client is waiting",
  "same as last month",
  "the amount is {amount}",
  "I already tried logging out and in",
  "I'm new to Ledgerly",
  "we switched from {integration} {when}",
  "the client is in {city}",
  "I looked in the help center but couldn't find it",
  "it worked fine until {when}",
  "this is the {ordinal} time",
  "for invoice {inv} ({amount})",
  "my business partner set up the account",
  "I'm doing this from {device}",
  "we invoice about {count} clients a month",
  "it's about the {monthName} invoices",
];

/** Closers users end with. */
export const CLOSERS = [
  "thanks",
  "Thanks!",
  "thank you",
  "any help appreciated",
  "pls help",
  "cheers",
  "Thanks in advance.",
  "ty",
  "thx!",
  "appreciate it",
  "Many thanks,",
  "help?",
  "please advise",
];

/** Every support intent, grouped by topic in the order of {@link TOPICS}. */
export const INTENTS: Intent[] = [
  // ── billing ──────────────────────────────────────────────────────────────
  {
    key: "void_invoice",
    topic: "billing",
    weight: 10,
    title: "voiding an invoice",
    templates: [
      "How do I void invoice {inv}?",
      "I sent {client} the wrong invoice, can I cancel it?",
      "need to cancel an invoice I already sent to {client}",
      "can i delete invoice {inv} its a duplicate",
      "How do I undo an invoice that went out with the wrong amount ({amount})?",
      "Is it possible to void an invoice after {client} paid part of it?",
      "void {inv} please, it was sent by mistake",
      "whats the difference between voiding and deleting an invoice",
    ],
    facts: [
      "Invoices can be voided within 30 days of issue",
      "Open the invoice and choose More > Void",
      "A voided invoice stays in your records marked Void",
      "Paid invoices must be refunded before they can be voided",
    ],
    wrong: [
      "Invoices can be deleted permanently at any time",
      "Go to Settings > Taxes > Delete invoice",
      "Voiding an invoice also refunds the client automatically",
    ],
    must: "30 days",
    mustNot: "deleted permanently",
  },
  {
    key: "refund_payment",
    topic: "billing",
    weight: 9,
    title: "refunding a payment",
    templates: [
      "How do I refund {client}? They paid {amount} twice",
      "refund a card payment",
      "client wants money back for invoice {inv}",
      "how long does a refund take to show up on the clients card",
      "Can I do a partial refund of {amount}?",
      "I need to refund a {method} payment",
      "{client} overpaid by {amount}, how do i send it back",
    ],
    facts: [
      "Refunds are issued from the payment on the invoice with Payments > Refund",
      "Card refunds take 5-10 business days to reach the client",
      "Partial refunds are supported",
      "Ledgerly processing fees are not returned on refunds",
    ],
    wrong: [
      "Refunds are instant on all payment methods",
      "Ledgerly returns the processing fee with every refund",
      "Only full refunds are possible",
    ],
    must: "Payments > Refund",
    mustNot: "instant on all payment methods",
  },
  {
    key: "late_fees",
    topic: "billing",
    weight: 6,
    title: "late fees",
    templates: [
      "can I add a late fee automatically if {client} pays late?",
      "how to charge interest on overdue invoices",
      "set up a {pct} late fee after {days}",
      "late fee isnt being added to invoice {inv}",
      "Do late fees apply to invoices sent before I turned them on?",
      "How do I turn off late fees for {client} only?",
    ],
    facts: [
      "Late fees are set under Settings > Payments > Late fees",
      "You can charge a flat amount or a percentage",
      "Late fees apply only to invoices sent after the setting is turned on",
    ],
    wrong: [
      "Late fees are added to all past invoices retroactively",
      "Late fees can only be a flat $25",
    ],
    must: "Settings > Payments > Late fees",
    mustNot: "retroactively",
  },
  {
    key: "recurring_invoice",
    topic: "billing",
    weight: 8,
    title: "recurring invoices",
    templates: [
      "How do I set up a monthly invoice for {client}?",
      "recurring invoices - can they charge the card automatically?",
      "how do i stop a recurring invoice",
      "my recurring invoice didnt go out {month}",
      "can I change the amount on a recurring invoice to {amount}",
      "Can a recurring invoice run every two weeks?",
      "set up autopay for {client}",
    ],
    facts: [
      "Create a recurring invoice from Invoices > New > Recurring",
      "You can choose weekly, monthly, quarterly or yearly",
      "Autopay charges the client's saved card on each due date",
      "Changes apply to future invoices only",
    ],
    wrong: [
      "Recurring invoices can only be monthly",
      "Editing a recurring invoice also changes invoices already sent",
    ],
    must: "Invoices > New > Recurring",
    mustNot: "only be monthly",
  },
  {
    key: "partial_payment",
    topic: "billing",
    weight: 6,
    title: "partial payments and deposits",
    templates: [
      "can clients pay in installments?",
      "how do I request a {pct} deposit",
      "{client} paid {amount} of the invoice, how do I record the rest",
      "record a partial payment by check",
      "Invoice {inv} shows paid but the client only sent half",
    ],
    facts: [
      "Turn on Allow partial payments on the invoice",
      "Deposits can be requested as a percentage or a fixed amount",
      "Record offline payments with Record payment on the invoice",
      "The invoice stays Partially paid until the balance is zero",
    ],
    wrong: [
      "Partial payments are not supported",
      "The invoice is marked Paid after the first payment",
    ],
    must: "Allow partial payments",
    mustNot: "not supported",
  },
  {
    key: "multi_currency",
    topic: "billing",
    weight: 5,
    title: "invoicing in other currencies",
    templates: [
      "can I invoice in {currency}?",
      "client in Canada wants the invoice in CAD",
      "exchange rate on invoice {inv} looks wrong",
      "what rate do you use for {currency} conversion",
      "do i get paid out in {currency} or dollars",
    ],
    facts: [
      "Ledgerly supports invoicing in more than 130 currencies",
      "Set the currency per client or per invoice",
      "Payouts are converted at the daily mid-market rate plus 1%",
      "The exchange rate is locked when the invoice is sent",
    ],
    wrong: [
      "Each account can use only one currency",
      "Exchange rates update after the invoice is paid",
    ],
    must: "130 currencies",
    mustNot: "only one currency",
  },
  {
    key: "tax_rates",
    topic: "billing",
    weight: 6,
    title: "taxes on invoices",
    templates: [
      "how do I add {tax} to my invoices?",
      "need to charge two different taxes on one invoice",
      "{tax} isn't showing on invoice {inv}",
      "can I make prices tax inclusive",
      "where do i put my VAT number",
      "Does Ledgerly file {tax} for me?",
    ],
    facts: [
      "Add tax rates under Settings > Taxes",
      "Up to two taxes can be applied per line item",
      "Prices can be tax-inclusive or tax-exclusive",
      "Your tax ID appears on invoices once you add it in Business profile",
    ],
    wrong: [
      "Ledgerly calculates and files your taxes for you",
      "Only one tax rate per invoice is allowed",
    ],
    must: "Settings > Taxes",
    mustNot: "files your taxes",
  },
  {
    key: "payouts",
    topic: "billing",
    weight: 9,
    title: "payouts",
    templates: [
      "when will I get the money from invoice {inv}?",
      "payout hasnt arrived its been {days}",
      "how long do payouts take for {method}",
      "can I get paid faster",
      "where is my money",
      "{client} paid {amount} but I don't see it in my bank",
    ],
    facts: [
      "Card payouts arrive in 2 business days",
      "ACH payouts arrive in 3-5 business days",
      "Instant payouts are available for a 1% fee",
      "Check payout status under Payments > Payouts",
    ],
    wrong: [
      "All payouts arrive the same day",
      "Payouts are sent once a month",
    ],
    must: "2 business days",
    mustNot: "same day",
  },
  {
    key: "subscription_charge",
    topic: "billing",
    weight: 7,
    title: "your Ledgerly subscription charges",
    templates: [
      "why was I charged twice {month}?",
      "I was billed {amount} for Ledgerly but I'm on the {plan} plan",
      "cancel my subscription and refund me",
      "what is this charge from ledgerly",
      "do you offer an annual billing discount",
      "where can I download my Ledgerly receipts",
    ],
    facts: [
      "Subscription charges are listed under Settings > Billing > History",
      "Plan changes are prorated on the next bill",
      "Annual billing saves 20%",
      "Duplicate charges are refunded within 5 business days after support confirms them",
    ],
    wrong: [
      "Ledgerly does not refund any subscription charges",
      "Annual billing costs the same as monthly",
    ],
    must: "Settings > Billing > History",
    mustNot: "does not refund",
  },
  {
    key: "change_plan",
    topic: "billing",
    weight: 5,
    title: "changing your plan",
    templates: [
      "how do I upgrade to {plan}?",
      "downgrade from Business to Starter",
      "whats the difference between pro and business",
      "do I lose data if i downgrade",
      "Can I switch to {plan} in the middle of the month?",
    ],
    facts: [
      "Change plans under Settings > Billing > Change plan",
      "Upgrades take effect immediately and are prorated",
      "Downgrades take effect at the end of the billing period",
      "Your data is kept when you downgrade",
    ],
    wrong: [
      "Downgrading deletes your invoices",
      "Plan changes require contacting sales",
    ],
    must: "Change plan",
    mustNot: "deletes your invoices",
  },
  {
    key: "card_declined",
    topic: "billing",
    weight: 6,
    title: "declined card payments",
    templates: [
      "{client}'s card keeps getting declined",
      "payment failed for invoice {inv}",
      "why does it say card declined do not honor",
      "client says they paid but it shows failed",
      "autopay failed for {client} {month}",
    ],
    facts: [
      "Declines come from the client's bank, not from Ledgerly",
      "Ask the client to contact their bank or use another card",
      "The decline reason is shown under Payments > Failed",
      "Ledgerly retries autopay charges after 3 days",
    ],
    wrong: [
      "Ledgerly blocks cards from some countries",
      "Declined payments are retried every hour",
    ],
    must: "client's bank",
    mustNot: "blocks cards",
  },
  {
    key: "invoice_numbering",
    topic: "billing",
    weight: 4,
    title: "invoice numbering",
    templates: [
      "how do I change the invoice number format?",
      "can invoice numbers start at {n}",
      "my invoice numbers skipped after {inv}",
      "add a prefix to invoice numbers",
    ],
    facts: [
      "Edit numbering under Settings > Invoices > Numbering",
      "You can set a prefix and the next number",
      "Numbers never repeat, so voided invoices leave gaps",
    ],
    wrong: [
      "Invoice numbers cannot be changed after signup",
      "Ledgerly reuses the numbers of voided invoices",
    ],
    must: "Settings > Invoices > Numbering",
    mustNot: "cannot be changed",
  },
  {
    key: "reminders",
    topic: "billing",
    weight: 6,
    title: "payment reminders",
    templates: [
      "how do I send a reminder to {client}?",
      "automatic payment reminders",
      "reminder emails not sending",
      "can i customize the reminder text",
      "stop sending reminders to {client}, they paid",
    ],
    facts: [
      "Automatic reminders are set under Settings > Reminders",
      "Reminders can go out before, on and after the due date",
      "You can edit the reminder email template",
      "Send a one-off reminder from the invoice with Send reminder",
    ],
    wrong: [
      "Reminders can only be sent manually",
      "Reminder emails cannot be edited",
    ],
    must: "Settings > Reminders",
    mustNot: "only be sent manually",
  },
  {
    key: "disputes",
    topic: "billing",
    weight: 4,
    title: "disputes and chargebacks",
    templates: [
      "{client} opened a chargeback on {amount}",
      "what happens in a dispute",
      "how do i respond to a chargeback",
      "why was I charged a dispute fee",
    ],
    facts: [
      "Respond to disputes under Payments > Disputes",
      "Upload your evidence within 7 days",
      "A $15 dispute fee applies and is returned if you win",
    ],
    wrong: [
      "Ledgerly decides disputes itself",
      "There is no deadline to respond to a dispute",
    ],
    must: "Payments > Disputes",
    mustNot: "decides disputes itself",
  },
  {
    key: "payment_methods",
    topic: "billing",
    weight: 5,
    title: "payment methods",
    templates: [
      "can clients pay by {method}?",
      "how to accept ACH",
      "turn on SEPA debit for EU clients",
      "does ledgerly take apple pay",
      "what are the fees for {method}",
    ],
    facts: [
      "Turn on payment methods under Settings > Payments",
      "Cards, ACH, SEPA debit and Apple Pay are supported",
      "ACH costs 1% capped at $10",
    ],
    wrong: [
      "Only credit cards are supported",
      "ACH payments are free with no cap",
    ],
    must: "Settings > Payments",
    mustNot: "Only credit cards",
  },
  {
    key: "credit_note",
    topic: "billing",
    weight: 3,
    title: "credit notes",
    templates: [
      "how do I issue a credit note?",
      "give {client} a credit of {amount} for the next invoice",
      "apply a credit to an invoice",
    ],
    facts: [
      "Create a credit note from Invoices > New > Credit note",
      "Credits are applied to the client's next invoice automatically",
      "A credit note keeps its own number",
    ],
    wrong: [
      "Credit notes must be mailed on paper",
      "Credits expire after 30 days",
    ],
    must: "Credit note",
    mustNot: "mailed on paper",
  },
  {
    key: "billing_vague",
    topic: "billing",
    weight: 4,
    title: "your billing problem",
    templates: [
      "still charged",
      "it didnt go through",
      "the invoice thing again",
      "same problem as yesterday with the payment",
      "why is it like this",
      "this is the third time im asking",
    ],
    facts: [
      "Tell me which invoice or payment this is about",
      "Please share the exact message you see",
      "I can escalate this to our billing team with those details",
    ],
    wrong: [
      "This issue has been fixed in the latest update",
      "This happens because your bank is blocking Ledgerly",
    ],
    must: "which invoice",
    mustNot: "has been fixed",
  },
  // ── technical ────────────────────────────────────────────────────────────
  {
    key: "accounting_sync",
    topic: "technical",
    weight: 7,
    title: "accounting sync",
    templates: [
      "{integration} sync failed",
      "invoices not showing up in {integration}",
      "{integration} says {error}",
      "how do i reconnect {integration}",
      "payments are duplicated in {integration}",
    ],
    facts: [
      "Reconnect the integration under Settings > Integrations",
      "Sync runs every 15 minutes",
      "Failed records are listed in the Sync log with the reason",
    ],
    wrong: [
      "Sync only runs once a day",
      "You must delete and re-add all invoices to resync",
    ],
    must: "Settings > Integrations",
    mustNot: "once a day",
  },
  {
    key: "api_auth",
    topic: "technical",
    weight: 5,
    title: "API authentication",
    templates: [
      "API returns 401",
      "my API key stopped working",
      "is there a rate limit on the api",
      "{error} when calling /v1/invoices",
      "how do I authenticate to the Ledgerly API",
    ],
    facts: [
      "API keys are created under Settings > Developers",
      "Send the key as a Bearer token in the Authorization header",
      "The API allows 100 requests per minute per key",
      "Revoked keys return 401 immediately",
    ],
    wrong: [
      "API keys go in the URL query string",
      "The API has no rate limit",
    ],
    must: "Settings > Developers",
    mustNot: "URL query string",
  },
  {
    key: "webhooks",
    topic: "technical",
    weight: 4,
    title: "webhooks",
    templates: [
      "webhook not firing for invoice.paid",
      "how do i verify webhook signatures",
      "webhooks getting {error}",
      "resend a failed webhook",
    ],
    facts: [
      "Webhooks are configured under Settings > Developers > Webhooks",
      "Each event is signed in the Ledgerly-Signature header",
      "Failed deliveries are retried for 3 days",
      "You can resend an event from the webhook log",
    ],
    wrong: [
      "Webhooks are not signed",
      "Failed webhooks are never retried",
    ],
    must: "Settings > Developers > Webhooks",
    mustNot: "not signed",
  },
  {
    key: "pdf_issue",
    topic: "technical",
    weight: 5,
    title: "invoice PDFs",
    templates: [
      "invoice pdf is missing my logo",
      "pdf looks wrong on {device}",
      "cant download invoice {inv} as pdf",
      "how do I change the pdf template",
    ],
    facts: [
      "Upload your logo under Settings > Branding",
      "Logos must be PNG or JPG under 2 MB",
      "Download the PDF from the invoice with More > Download PDF",
      "Templates are changed under Settings > Branding > Template",
    ],
    wrong: [
      "PDFs can only be downloaded on desktop",
      "Logos are only available on the Business plan",
    ],
    must: "Settings > Branding",
    mustNot: "only be downloaded on desktop",
  },
  {
    key: "email_delivery",
    topic: "technical",
    weight: 5,
    title: "invoice email delivery",
    templates: [
      "my invoices are going to spam",
      "{client} didnt get the invoice email",
      "invoice email bounced",
      "can emails come from my own domain",
    ],
    facts: [
      "Check the invoice's Activity tab for the delivery status",
      "Verify your sending domain under Settings > Email",
      "Ask the client to add Ledgerly's sending address to their contacts",
    ],
    wrong: [
      "Ledgerly cannot send invoice emails to Gmail",
      "Emails are sent only once a day",
    ],
    must: "Activity tab",
    mustNot: "cannot send invoice emails",
  },
  {
    key: "app_crash",
    topic: "technical",
    weight: 5,
    title: "the mobile app",
    templates: [
      "app crashes on my {device}",
      "mobile app wont open",
      "app keeps logging me out on {device}",
      "blank screen after the update",
    ],
    facts: [
      "Update to the latest app version",
      "Sign out and back in to refresh your session",
      "Clear the app cache or reinstall the app",
      "Send a crash report from Help > Report a problem",
    ],
    wrong: [
      "The mobile app only works on Wi-Fi",
      "Reinstalling the app deletes your invoices",
    ],
    must: "latest app version",
    mustNot: "only works on Wi-Fi",
  },
  {
    key: "csv_import",
    topic: "technical",
    weight: 4,
    title: "importing data",
    templates: [
      "import clients from a csv",
      "csv import failed on row 12",
      "import invoices from {integration}",
      "what columns does the import need",
    ],
    facts: [
      "Import clients from Clients > Import",
      "Use the CSV template from the import screen",
      "Rows with errors are skipped and listed in a report",
      "Files up to 5,000 rows are supported",
    ],
    wrong: [
      "Only Excel files can be imported",
      "One bad row cancels the whole import",
    ],
    must: "Clients > Import",
    mustNot: "Only Excel files",
  },
  {
    key: "technical_vague",
    topic: "technical",
    weight: 4,
    title: "the error you are seeing",
    templates: [
      "it still doesnt work",
      "same error again",
      "still broken",
      "tried that, nothing",
      "it says error",
      "not loading",
    ],
    facts: [
      "Tell me which screen or action shows the problem",
      "Please share the exact error message",
      "I can escalate this to our support team with those details",
    ],
    wrong: [
      "This issue has been fixed in the latest update",
      "This happens because your browser is outdated",
    ],
    must: "which screen",
    mustNot: "has been fixed",
  },
  // ── account ──────────────────────────────────────────────────────────────
  {
    key: "reset_password",
    topic: "account",
    weight: 6,
    title: "resetting your password",
    templates: [
      "forgot my password",
      "password reset email not arriving",
      "how do I change my password",
      "locked out after too many attempts",
      "cant log in",
    ],
    facts: [
      "Use Forgot password on the sign-in page",
      "Reset links expire after 1 hour",
      "After 5 failed attempts the account locks for 15 minutes",
    ],
    wrong: [
      "Support can tell you your current password",
      "Reset links never expire",
    ],
    must: "Forgot password",
    mustNot: "current password",
  },
  {
    key: "two_factor",
    topic: "account",
    weight: 4,
    title: "two-factor authentication",
    templates: [
      "lost my phone with 2fa on it",
      "how do I turn on two factor",
      "2FA codes not working",
      "where are my backup codes",
    ],
    facts: [
      "Use a backup code if you lost your device",
      "Turn on two-factor under Settings > Security",
      "Without backup codes, support verifies your identity before removing 2FA",
    ],
    wrong: [
      "2FA can be removed by emailing support with no verification",
      "Ledgerly only supports SMS codes",
    ],
    must: "backup code",
    mustNot: "no verification",
  },
  {
    key: "team_members",
    topic: "account",
    weight: 4,
    title: "team members",
    templates: [
      "add my {role} to the account",
      "what permissions can team members have",
      "how many users on {plan}",
      "remove a user from my account",
    ],
    facts: [
      "Invite users under Settings > Team",
      "Roles are Admin, Manager and Viewer",
      "Pro includes 3 users and Business includes 10",
    ],
    wrong: [
      "Every plan is limited to one user",
      "Removing a user deletes their invoices",
    ],
    must: "Settings > Team",
    mustNot: "limited to one user",
  },
  {
    key: "close_account",
    topic: "account",
    weight: 3,
    title: "closing your account",
    templates: [
      "how do i delete my account",
      "close my ledgerly account and delete my data",
      "cancel everything",
    ],
    facts: [
      "Close your account under Settings > Account > Close account",
      "Export your data first from Settings > Export",
      "Data is deleted 30 days after closing",
    ],
    wrong: [
      "Accounts cannot be deleted",
      "Data is deleted immediately and cannot be exported",
    ],
    must: "Close account",
    mustNot: "cannot be deleted",
  },
  {
    key: "profile_details",
    topic: "account",
    weight: 4,
    title: "your profile details",
    templates: [
      "change my login email",
      "update the business name on invoices",
      "change the address on my invoices",
      "how do I change the owner of the account",
    ],
    facts: [
      "Change your login email under Settings > Profile",
      "A confirmation link is sent to the new address",
      "Business name and address are edited in Business profile",
    ],
    wrong: [
      "Login emails cannot be changed",
      "Business details can only be changed by support",
    ],
    must: "Settings > Profile",
    mustNot: "cannot be changed",
  },
  // ── other ────────────────────────────────────────────────────────────────
  {
    key: "feature_request",
    topic: "other",
    weight: 5,
    title: "feature requests",
    templates: [
      "do you have {feature}?",
      "please add {feature}",
      "is {feature} on the roadmap",
      "any plans for {feature}??",
    ],
    facts: [
      "This feature is not available yet",
      "You can vote for it on the Ledgerly roadmap page",
      "I've passed the request to the product team",
    ],
    wrong: [
      "This feature is already available under Settings > Labs",
      "It will ship next week",
    ],
    must: "not available yet",
    mustNot: "Settings > Labs",
  },
  {
    key: "off_topic",
    topic: "other",
    weight: 4,
    title: "what I can help with",
    templates: [
      "whats the weather in {city}",
      "tell me a joke",
      "are you a real person?",
      "can you help me write an email to my landlord",
      "what's the capital of australia",
      "recommend a good pizza place in {city}",
    ],
    facts: [
      "I can only help with Ledgerly questions",
      "For invoicing, payments or your account, I'm happy to help",
    ],
    wrong: [
      "The forecast is sunny and 24 degrees",
      "Here is the email you asked for",
    ],
    must: "Ledgerly questions",
    mustNot: "forecast",
  },
  {
    key: "integrations_available",
    topic: "other",
    weight: 4,
    title: "integrations",
    templates: [
      "do you integrate with {integration}?",
      "is there a {integration} integration",
      "connect ledgerly to my bank",
    ],
    facts: [
      "Ledgerly integrates with QuickBooks, Xero, Stripe and Zapier",
      "Connect integrations under Settings > Integrations",
      "Bank feeds are available in the US, UK and EU",
    ],
    wrong: [
      "Ledgerly has no integrations",
      "Integrations cost $50 per month each",
    ],
    must: "QuickBooks, Xero, Stripe and Zapier",
    mustNot: "no integrations",
  },
  {
    key: "human_agent",
    topic: "other",
    weight: 4,
    title: "contacting support",
    templates: [
      "can i talk to a human",
      "support phone number?",
      "what are your support hours",
      "I want a real person not a bot",
    ],
    facts: [
      "Chat support is available Monday to Friday, 8am to 8pm ET",
      "Business plan customers get phone support",
      "Open a ticket from Help > Contact support",
    ],
    wrong: [
      "Support is available 24/7 by phone on every plan",
      "There is no human support",
    ],
    must: "Monday to Friday",
    mustNot: "24/7",
  },
  {
    key: "security_privacy",
    topic: "other",
    weight: 3,
    title: "data security and privacy",
    templates: [
      "where is my data stored",
      "are you gdpr compliant",
      "is ledgerly safe to use",
      "do you sell my data",
    ],
    facts: [
      "Data is stored in the US and EU on encrypted servers",
      "Ledgerly is GDPR compliant and offers a DPA",
      "Ledgerly never sells customer data",
    ],
    wrong: [
      "Data is stored only on your own computer",
      "Ledgerly shares data with advertisers",
    ],
    must: "US and EU",
    mustNot: "own computer",
  },
];

/** A non-English query template and the intent it asks about. */
export interface Translation {
  lang: "es" | "de" | "fr" | "pt";
  intent: string;
  template: string;
}

/** Non-English query templates: at least one per topic and language. */
export const TRANSLATIONS: Translation[] = [
  { lang: "es", intent: "void_invoice", template: "¿Cómo anulo la factura {inv}?" },
  {
    lang: "es",
    intent: "refund_payment",
    template: "mi cliente pagó dos veces, ¿cómo le devuelvo {amount}?",
  },
  { lang: "es", intent: "payouts", template: "no me ha llegado el pago de la factura {inv}" },
  {
    lang: "es",
    intent: "card_declined",
    template: "la tarjeta de {client} sigue siendo rechazada",
  },
  { lang: "es", intent: "app_crash", template: "la app se cierra sola en mi {device}" },
  { lang: "es", intent: "accounting_sync", template: "la sincronización con {integration} falla" },
  {
    lang: "es",
    intent: "reset_password",
    template: "olvidé mi contraseña y no me llega el correo",
  },
  { lang: "es", intent: "human_agent", template: "¿puedo hablar con una persona?" },
  { lang: "de", intent: "void_invoice", template: "Wie storniere ich die Rechnung {inv}?" },
  { lang: "de", intent: "multi_currency", template: "Kann ich Rechnungen in {currency} stellen?" },
  { lang: "de", intent: "payouts", template: "Wann kommt meine Auszahlung? Es sind schon {days}." },
  {
    lang: "de",
    intent: "tax_rates",
    template: "Wie füge ich die Mehrwertsteuer zu meinen Rechnungen hinzu?",
  },
  {
    lang: "de",
    intent: "accounting_sync",
    template: "Die Synchronisierung mit {integration} schlägt fehl",
  },
  { lang: "de", intent: "pdf_issue", template: "Im PDF der Rechnung fehlt mein Logo" },
  { lang: "de", intent: "reset_password", template: "Ich habe mein Passwort vergessen" },
  { lang: "de", intent: "close_account", template: "Wie lösche ich mein Konto?" },
  { lang: "de", intent: "security_privacy", template: "Wo werden meine Daten gespeichert? DSGVO?" },
  { lang: "fr", intent: "void_invoice", template: "Comment annuler la facture {inv} ?" },
  {
    lang: "fr",
    intent: "refund_payment",
    template: "Mon client a payé deux fois, comment le rembourser ?",
  },
  { lang: "fr", intent: "tax_rates", template: "Comment ajouter la TVA sur mes factures ?" },
  { lang: "fr", intent: "app_crash", template: "L'application plante sur mon {device}" },
  { lang: "fr", intent: "webhooks", template: "les webhooks ne fonctionnent plus depuis hier" },
  {
    lang: "fr",
    intent: "two_factor",
    template: "J'ai perdu mon téléphone avec la double authentification",
  },
  { lang: "fr", intent: "feature_request", template: "Est-ce que vous avez un mode sombre ?" },
  { lang: "pt", intent: "void_invoice", template: "Como cancelo a fatura {inv}?" },
  { lang: "pt", intent: "payouts", template: "Quando vou receber o pagamento da fatura {inv}?" },
  { lang: "pt", intent: "card_declined", template: "o cartão do cliente foi recusado de novo" },
  { lang: "pt", intent: "csv_import", template: "a importação do CSV falhou" },
  { lang: "pt", intent: "reset_password", template: "esqueci minha senha" },
  { lang: "pt", intent: "human_agent", template: "posso falar com um atendente?" },
];

/** Greetings, context and closers for non-English queries, per language. */
export const LANG_EXTRAS: Record<
  Translation["lang"],
  { greetings: string[]; contexts: string[]; closers: string[] }
> = {
  es: {
    greetings: ["hola", "Hola,", "buenas", "Buenos días,"],
    contexts: [
      "es para {client}",
      "la factura es de {amount}",
      "desde hace {nDays} días",
      "uso el plan {plan}",
    ],
    closers: ["gracias", "¡gracias!", "saludos"],
  },
  de: {
    greetings: ["Hallo", "Guten Tag,", "Hi,", "Moin"],
    contexts: [
      "es geht um Rechnung {inv}",
      "Betrag {amount}",
      "Kunde: {client}",
      "wir haben den {plan} Tarif",
    ],
    closers: ["danke", "Vielen Dank!", "Grüße"],
  },
  fr: {
    greetings: ["Bonjour,", "bonjour", "Salut"],
    contexts: ["c'est pour {client}", "facture de {amount}", "sur mon {device}", "forfait {plan}"],
    closers: ["merci", "Merci d'avance.", "cordialement"],
  },
  pt: {
    greetings: ["Olá,", "oi", "Bom dia,"],
    contexts: ["é para {client}", "no valor de {amount}", "fatura {inv}", "uso o plano {plan}"],
    closers: ["obrigado", "obrigada!", "valeu"],
  },
};

/** Follow-up user turns of multi-turn conversations (they lean on earlier context). */
export const FOLLOW_UPS: string[] = [
  "what about the second one?",
  "and if its already paid?",
  "ok that didnt work",
  "it still doesnt work",
  "thanks! does this work on mobile too?",
  "how long does that take",
  "wait which menu is that",
  "can i undo it after?",
  "does that cost extra?",
  "what if I have more than one client?",
  "ok and where do i find that",
  "hm. and for recurring ones?",
  "sorry, can you explain the second step again?",
  "that's not what I asked",
  "perfect. and the fee?",
  "and for {client}?",
  "same for invoice {inv}?",
  "is that the same on the {plan} plan?",
];

/** Off-topic or chatty openings users put before the question. */
export const PREFIXES: string[] = [
  "hi! ",
  "hello?? ",
  "quick one: ",
  "ugh. ",
  "sorry if this is a dumb question, ",
  "btw your app is great. ",
  "(typing on my phone) ",
  "good morning, ",
  "Hey there 👋 ",
  "🙏 ",
];

/** Off-topic or chatty endings users put after the question. */
export const SUFFIXES: string[] = [
  " thx",
  " asap please",
  " lol",
  " - also is it going to rain tomorrow?",
  " also unrelated but who made you?",
  " 🙏",
  " !!!",
  " thanks in advance 😊",
  " (my accountant is asking)",
  " sorry for the long message",
];

/** Common misspellings users make. */
export const MISSPELLINGS: Record<string, string> = {
  invoice: "invoce",
  invoices: "invioces",
  payment: "paymnet",
  password: "pasword",
  account: "acount",
  receive: "recieve",
  subscription: "subscripton",
  refund: "refnd",
  recurring: "reccuring",
  client: "cleint",
  charged: "chraged",
  deposit: "deposti",
  reminder: "remider",
  integration: "intergration",
};

/** The context phrases that carry planted PII; `{v}` is the value. */
export const PII_PHRASES: Record<string, string[]> = {
  email: [
    "my email is {v}",
    "you can reach me at {v}",
    "send it to {v}",
    "account email: {v}",
    "{v} is the login",
    "the client's email is {v}",
  ],
  phone: [
    "call me at {v}",
    "my number is {v}",
    "phone: {v}",
    "you can text {v}",
    "the client's phone is {v}",
  ],
  card: [
    "my card {v} was charged",
    "card number {v}",
    "it was charged to {v}",
    "the card is {v} exp 09/28",
  ],
  ipv4: [
    "requests from {v} get blocked",
    "our server IP is {v}",
    "I'm connecting from {v}",
    "please whitelist {v}",
  ],
  ipv6: ["our server is at {v}", "requests from {v} fail", "IPv6 address {v}"],
  secret: ["here is my API key {v}", "using key {v}", "my token is {v}", "set LEDGERLY_KEY={v}"],
  bearer: ["Authorization: Bearer {v}", "header is Bearer {v}", "I send Bearer {v}"],
  iban: ["my IBAN is {v}", "payouts should go to {v}", "bank account {v}", "IBAN: {v}"],
  ssn: ["my SSN is {v}", "SSN {v} for the 1099", "social security number {v}"],
  address: ["bill to {v}", "my business address is {v}", "ship to {v}", "we moved to {v}"],
};

/** Separators between a question and a PII or near-miss phrase. */
export const JOINERS: string[] = [". ", " - ", " ", ", ", "\n", " — "];

/** Names and domains for planted email addresses. */
export const PEOPLE = {
  first: [
    "maria",
    "john",
    "aisha",
    "wei",
    "lukas",
    "sofia",
    "pedro",
    "emma",
    "oliver",
    "chloe",
    "raj",
    "fatima",
    "diego",
    "hannah",
    "kenji",
    "lea",
  ],
  last: [
    "lopez",
    "smith",
    "khan",
    "chen",
    "muller",
    "rossi",
    "silva",
    "brown",
    "nguyen",
    "dubois",
    "patel",
    "garcia",
    "schmidt",
    "kim",
    "martin",
    "costa",
  ],
  domains: [
    "gmail.com",
    "outlook.com",
    "yahoo.com",
    "icloud.com",
    "proton.me",
    "acmeplumbing.com",
    "brightdesign.io",
    "nguyenbakery.co.uk",
    "gmx.de",
    "orange.fr",
    "hotmail.es",
    "oakridgedental.com",
  ],
};

/** Street-address parts for planted addresses. */
export const ADDRESS = {
  usStreets: ["Market", "Main", "Oak", "Mission", "Valencia", "Elm", "Maple", "Cedar", "Lincoln"],
  usSuffixes: ["Street", "St", "Avenue", "Ave", "Blvd", "Road", "Lane"],
  usCities: [
    "San Francisco, CA 94103",
    "Austin, TX 78701",
    "Chicago, IL 60607",
    "Brooklyn, NY 11201",
    "Denver, CO 80202",
  ],
  fixed: [
    "221B Baker Street",
    "221B Baker Street, London NW1 6XE",
    "10 Downing Street",
    "Hauptstraße 5",
    "Friedrichstraße 43, 10117 Berlin",
    "12 rue de Rivoli, 75001 Paris",
    "Calle Mayor 10, 28013 Madrid",
    "Rua Augusta 88, Lisboa",
  ],
};

/** Openers that name the question's subject (relevance 5). */
export const OPENERS_ON_TOPIC = [
  "Here's how {title} works in Ledgerly.",
  "Happy to help with {title}.",
  "Good question about {title}.",
];
/** Generic openers. */
export const OPENERS_GENERIC = [
  "Sure, I can help with that.",
  "Thanks for reaching out.",
  "Happy to help.",
];
/** Closings. */
export const CLOSINGS = [
  "Let me know if there's anything else I can help with.",
  "Hope that helps!",
  "Anything else I can do for you?",
];
/** Off-topic sentences a drifting answer wanders into. */
export const DRIFT = [
  "By the way, Ledgerly also lets you track time for hourly projects.",
  "You might also like our new client portal themes.",
  "Fun fact: customers who accept cards often get paid faster.",
  "Our mobile app can also scan receipts for your expenses.",
  "We recently redesigned the dashboard with new charts.",
  "Did you know you can add your own colours to every invoice?",
  "Our blog has lots of tips for growing a small business.",
  "Ledgerly also has a referral program that gives you a free month.",
  "Many freelancers also use our estimates feature before invoicing.",
  "The year-end summary report is great for tax season.",
];
/** Neutral sentences that lengthen an answer without adding facts; `{title}` is the subject. */
export const FILLERS = [
  "You can find a step-by-step guide to {title} in the Help Center.",
  "The same steps work in the web app and in the mobile app.",
  "Changes are saved automatically, so there is nothing else to confirm.",
  "If you manage several businesses, switch to the right one first.",
  "Everything you do here is recorded in the activity log.",
  "It only takes a minute or two once you know where to look.",
  "Many customers set this up once and never have to think about it again.",
  "If you ever need to, you can come back and adjust this later.",
  "Your clients will not see any of these settings.",
  "Our support team is also happy to walk you through {title}.",
  "Make sure you are signed in as an Admin so that every option is visible.",
  "The Help Center article on {title} also has screenshots.",
  "If the page looks different, refresh it once to load the latest version.",
  "Nothing changes for invoices that are already paid.",
  "You will get a confirmation once it is done.",
  "It works the same way for every client on your account.",
];

/** Calibration stance markers, from strongly confident (-2) to strongly hedged (+2). */
export const STANCE_MARKERS: Record<"-2" | "-1" | "1" | "2", string[]> = {
  "-2": [
    "I'm 100% sure about this.",
    "This is guaranteed to work.",
    "Definitely, no doubt about it.",
  ],
  "-1": ["Here's exactly what to do.", "This is how it works."],
  "1": [
    "You may want to double-check this in your settings.",
    "I believe this is right, but please verify it.",
  ],
  "2": [
    "I'm not certain about this, so please confirm with our support team before relying on it.",
    "I might be wrong here, so please check the Help Center or contact support.",
  ],
};

/** Notes human raters leave now and then. */
export const RATER_NOTES = [
  "mentions the wrong menu path",
  "too long for the question",
  "good, clear steps",
  "ignores the follow-up",
  "overconfident",
  "answer is cut short",
  "drifts into marketing",
  "would escalate this one",
];

/** Expected-behaviour templates for regression cases; `{fact}` and `{wrong}` are filled. */
export const EXPECTED_BEHAVIOR = [
  "States that {fact}. Must not claim that {wrong}.",
  "Gives the correct answer: {fact}. Does not say {wrong}.",
  "Answers with the documented behaviour ({fact}) and avoids the known wrong claim that {wrong}.",
];
