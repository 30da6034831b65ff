import { z } from "zod";
import { tool, type Tool } from "../../src/engine/tools/tool";

// A 500-tool synthetic catalog for tool selection: 45 business records, each with ten look-alike
// operations (get, search, list, create, update, delete, count, export, history, archive), plus
// 50 utilities (conversions, geography, weather, text, messaging, dates, web, finance). Tasks
// are labelled with the tools a correct workflow needs and are worded as a user would, not as
// the tool descriptions are.

type FieldType = "string" | "number" | "boolean";
type FieldSpec = [name: string, type: FieldType, description: string];

const RECORDS: [noun: string, plural: string, fields: FieldSpec[]][] = [
  [
    "invoice",
    "invoices",
    [
      ["amount", "number", "total amount due"],
      ["currency", "string", "ISO currency code"],
      ["dueDate", "string", "payment due date"],
      ["status", "string", "paid, open or overdue"],
    ],
  ],
  [
    "quote",
    "quotes",
    [
      ["amount", "number", "quoted price"],
      ["currency", "string", "ISO currency code"],
      ["validUntil", "string", "last day the quote holds"],
    ],
  ],
  [
    "purchase_order",
    "purchase_orders",
    [
      ["amount", "number", "ordered value"],
      ["supplierName", "string", "who supplies it"],
      ["status", "string", "draft, sent or received"],
    ],
  ],
  [
    "receipt",
    "receipts",
    [
      ["amount", "number", "amount paid"],
      ["paidAt", "string", "payment date"],
      ["method", "string", "card, cash or transfer"],
    ],
  ],
  [
    "customer",
    "customers",
    [
      ["name", "string", "full name"],
      ["email", "string", "email address"],
      ["phone", "string", "phone number"],
      ["city", "string", "home city"],
    ],
  ],
  [
    "supplier",
    "suppliers",
    [
      ["name", "string", "company name"],
      ["email", "string", "contact email"],
      ["country", "string", "country of business"],
    ],
  ],
  [
    "employee",
    "employees",
    [
      ["name", "string", "full name"],
      ["email", "string", "work email"],
      ["department", "string", "team or department"],
      ["salary", "number", "yearly salary"],
    ],
  ],
  [
    "contractor",
    "contractors",
    [
      ["name", "string", "full name"],
      ["email", "string", "contact email"],
      ["hourlyRate", "number", "rate per hour"],
    ],
  ],
  [
    "order",
    "orders",
    [
      ["total", "number", "order total"],
      ["currency", "string", "ISO currency code"],
      ["status", "string", "placed, shipped or delivered"],
      ["customerId", "string", "who ordered"],
    ],
  ],
  [
    "cart",
    "carts",
    [
      ["total", "number", "cart total"],
      ["itemCount", "number", "number of items"],
    ],
  ],
  [
    "product",
    "products",
    [
      ["title", "string", "product name"],
      ["price", "number", "unit price"],
      ["currency", "string", "ISO currency code"],
      ["stock", "number", "units in stock"],
    ],
  ],
  [
    "product_review",
    "product_reviews",
    [
      ["text", "string", "what the reviewer wrote"],
      ["rating", "number", "stars from 1 to 5"],
      ["productId", "string", "reviewed product"],
    ],
  ],
  [
    "shipment",
    "shipments",
    [
      ["carrier", "string", "shipping company"],
      ["trackingNumber", "string", "carrier tracking number"],
      ["status", "string", "in transit, delivered or lost"],
      ["eta", "string", "expected delivery date"],
    ],
  ],
  [
    "return_request",
    "return_requests",
    [
      ["reason", "string", "why the item is returned"],
      ["status", "string", "open, approved or refused"],
      ["orderId", "string", "returned order"],
    ],
  ],
  [
    "warehouse",
    "warehouses",
    [
      ["name", "string", "site name"],
      ["city", "string", "where it is"],
      ["capacity", "number", "pallet capacity"],
    ],
  ],
  [
    "ticket",
    "tickets",
    [
      ["subject", "string", "support ticket subject"],
      ["body", "string", "the customer's message"],
      ["priority", "string", "low, normal or urgent"],
      ["status", "string", "open or closed"],
    ],
  ],
  [
    "incident",
    "incidents",
    [
      ["title", "string", "what broke"],
      ["severity", "string", "sev1 to sev4"],
      ["startedAt", "string", "when it started"],
    ],
  ],
  [
    "bug_report",
    "bug_reports",
    [
      ["title", "string", "short summary"],
      ["steps", "string", "steps to reproduce"],
      ["component", "string", "affected component"],
    ],
  ],
  [
    "feature_request",
    "feature_requests",
    [
      ["title", "string", "requested feature"],
      ["votes", "number", "user votes"],
    ],
  ],
  [
    "meeting",
    "meetings",
    [
      ["title", "string", "meeting title"],
      ["startsAt", "string", "start date and time"],
      ["room", "string", "meeting room"],
    ],
  ],
  [
    "calendar_event",
    "calendar_events",
    [
      ["title", "string", "event title"],
      ["startsAt", "string", "start date and time"],
      ["location", "string", "where it happens"],
    ],
  ],
  [
    "reminder",
    "reminders",
    [
      ["text", "string", "what to remember"],
      ["dueAt", "string", "when to remind"],
    ],
  ],
  [
    "task_item",
    "task_items",
    [
      ["title", "string", "to-do title"],
      ["done", "boolean", "whether it is finished"],
      ["assignee", "string", "who does it"],
    ],
  ],
  [
    "project",
    "projects",
    [
      ["name", "string", "project name"],
      ["budget", "number", "budget amount"],
      ["deadline", "string", "delivery date"],
    ],
  ],
  [
    "milestone",
    "milestones",
    [
      ["name", "string", "milestone name"],
      ["dueDate", "string", "target date"],
      ["projectId", "string", "owning project"],
    ],
  ],
  [
    "document",
    "documents",
    [
      ["title", "string", "document title"],
      ["content", "string", "full text"],
      ["author", "string", "who wrote it"],
    ],
  ],
  [
    "note",
    "notes",
    [
      ["text", "string", "note text"],
      ["pinned", "boolean", "kept on top"],
    ],
  ],
  [
    "article",
    "articles",
    [
      ["headline", "string", "article headline"],
      ["body", "string", "article text"],
      ["publishedAt", "string", "publication date"],
    ],
  ],
  [
    "blog_post",
    "blog_posts",
    [
      ["title", "string", "post title"],
      ["body", "string", "post text"],
      ["tags", "string", "comma-separated tags"],
    ],
  ],
  [
    "newsletter",
    "newsletters",
    [
      ["subject", "string", "newsletter subject"],
      ["sentAt", "string", "send date"],
      ["subscribers", "number", "recipients count"],
    ],
  ],
  [
    "flight",
    "flights",
    [
      ["origin", "string", "departure airport code"],
      ["destination", "string", "arrival airport code"],
      ["departsAt", "string", "departure time"],
      ["price", "number", "ticket price"],
    ],
  ],
  [
    "hotel_booking",
    "hotel_bookings",
    [
      ["hotelName", "string", "hotel"],
      ["city", "string", "hotel city"],
      ["checkIn", "string", "arrival date"],
      ["nights", "number", "number of nights"],
    ],
  ],
  [
    "car_rental",
    "car_rentals",
    [
      ["company", "string", "rental company"],
      ["pickupCity", "string", "where the car is taken"],
      ["days", "number", "rental days"],
    ],
  ],
  [
    "expense_report",
    "expense_reports",
    [
      ["total", "number", "claimed total"],
      ["currency", "string", "ISO currency code"],
      ["employeeId", "string", "who claims it"],
    ],
  ],
  [
    "bank_account",
    "bank_accounts",
    [
      ["iban", "string", "account IBAN"],
      ["balance", "number", "current balance"],
      ["currency", "string", "ISO currency code"],
    ],
  ],
  [
    "transaction",
    "transactions",
    [
      ["amount", "number", "signed amount"],
      ["currency", "string", "ISO currency code"],
      ["bookedAt", "string", "booking date"],
    ],
  ],
  [
    "subscription",
    "subscriptions",
    [
      ["plan", "string", "plan name"],
      ["renewsAt", "string", "next renewal date"],
      ["price", "number", "price per period"],
    ],
  ],
  [
    "coupon",
    "coupons",
    [
      ["code", "string", "coupon code"],
      ["discountPercent", "number", "discount in percent"],
      ["expiresAt", "string", "expiry date"],
    ],
  ],
  [
    "patient",
    "patients",
    [
      ["name", "string", "patient name"],
      ["birthDate", "string", "date of birth"],
      ["doctor", "string", "attending doctor"],
    ],
  ],
  [
    "appointment",
    "appointments",
    [
      ["startsAt", "string", "appointment time"],
      ["doctor", "string", "doctor seen"],
      ["patientId", "string", "who comes"],
    ],
  ],
  [
    "course",
    "courses",
    [
      ["title", "string", "course title"],
      ["teacher", "string", "who teaches"],
      ["credits", "number", "course credits"],
    ],
  ],
  [
    "student",
    "students",
    [
      ["name", "string", "student name"],
      ["email", "string", "student email"],
      ["grade", "number", "average grade"],
    ],
  ],
  [
    "vehicle",
    "vehicles",
    [
      ["plate", "string", "licence plate"],
      ["model", "string", "make and model"],
      ["mileageKm", "number", "odometer in kilometres"],
    ],
  ],
  [
    "device",
    "devices",
    [
      ["serial", "string", "serial number"],
      ["firmware", "string", "firmware version"],
      ["online", "boolean", "currently connected"],
    ],
  ],
  [
    "sensor_reading",
    "sensor_readings",
    [
      ["value", "number", "measured value"],
      ["unit", "string", "measurement unit"],
      ["takenAt", "string", "time of the reading"],
    ],
  ],
];

function zodOf(type: FieldType): z.ZodType {
  return type === "string" ? z.string() : type === "number" ? z.number() : z.boolean();
}

function shapeOf(fields: readonly FieldSpec[], optional = false): Record<string, z.ZodType> {
  return Object.fromEntries(
    fields.map(([name, type, description]) => [
      name,
      (optional ? zodOf(type).optional() : zodOf(type)).describe(description),
    ]),
  );
}

function sampleOf(type: FieldType): string | number | boolean {
  return type === "string" ? "x" : type === "number" ? 1 : true;
}

function camel(snake: string): string {
  return snake.replace(/_([a-z])/g, (_m, letter: string) => letter.toUpperCase());
}

function recordTools(noun: string, plural: string, fields: FieldSpec[]): Tool[] {
  const spoken = noun.replace(/_/g, " ");
  const spokenPlural = plural.replace(/_/g, " ");
  const idField = `${camel(noun)}Id`;
  const idShape = { [idField]: z.string().describe(`id of the ${spoken}`) };
  const summary = z.array(z.object({ [idField]: z.string(), title: z.string() }));
  const listed = fields.map(([name]) => name).join(", ");
  const sample = Object.fromEntries(fields.map(([name, type]) => [name, sampleOf(type)]));
  return [
    tool(
      {
        name: `get_${noun}`,
        description: `Fetch one ${spoken} by its id, with its ${listed}.`,
        input: z.object(idShape),
        output: z.object({ ...idShape, ...shapeOf(fields) }),
      },
      (input) => ({ ...input, ...sample }),
    ),
    tool(
      {
        name: `search_${plural}`,
        description: `Search ${spokenPlural} whose text matches a query; gives ids and titles.`,
        input: z.object({ query: z.string() }),
        output: z.object({ results: summary }),
      },
      () => ({ results: [] }),
    ),
    tool(
      {
        name: `list_${plural}`,
        description: `List the most recent ${spokenPlural}.`,
        input: z.object({ limit: z.number().optional() }),
        output: z.object({ items: summary }),
      },
      () => ({ items: [] }),
    ),
    tool(
      {
        name: `create_${noun}`,
        description: `Create a new ${spoken} from its ${listed}; gives the new id.`,
        input: z.object(shapeOf(fields)),
        output: z.object(idShape),
      },
      () => ({ [idField]: "new" }),
    ),
    tool(
      {
        name: `update_${noun}`,
        description: `Change fields of an existing ${spoken}.`,
        input: z.object({ ...idShape, ...shapeOf(fields, true) }),
        output: z.object({ updated: z.boolean() }),
      },
      () => ({ updated: true }),
    ),
    tool(
      {
        name: `delete_${noun}`,
        description: `Delete a ${spoken} permanently.`,
        input: z.object(idShape),
        output: z.object({ deleted: z.boolean() }),
      },
      () => ({ deleted: true }),
    ),
    tool(
      {
        name: `count_${plural}`,
        description: `Count all ${spokenPlural}.`,
        input: z.object({}),
        output: z.object({ count: z.number() }),
      },
      () => ({ count: 0 }),
    ),
    tool(
      {
        name: `export_${plural}_csv`,
        description: `Export every ${spoken} as CSV text.`,
        input: z.object({}),
        output: z.object({ csv: z.string() }),
      },
      () => ({ csv: "" }),
    ),
    tool(
      {
        name: `get_${noun}_history`,
        description: `The change history of a ${spoken}: who changed what and when.`,
        input: z.object(idShape),
        output: z.object({ events: z.array(z.object({ at: z.string(), change: z.string() })) }),
      },
      () => ({ events: [] }),
    ),
    tool(
      {
        name: `archive_${noun}`,
        description: `Move a ${spoken} to the archive, hiding it from lists.`,
        input: z.object(idShape),
        output: z.object({ archived: z.boolean() }),
      },
      () => ({ archived: true }),
    ),
  ];
}

type Shape = Record<string, z.ZodType>;
const s = (description: string) => z.string().describe(description);
const n = (description: string) => z.number().describe(description);

const UTILITIES: [name: string, description: string, input: Shape, output: Shape][] = [
  [
    "convert_currency",
    "Convert an amount of money from one currency to another at today's rate.",
    { amount: n("amount to convert"), from: s("ISO code of the amount's currency"), to: s("ISO code wanted") },
    { converted: n("the amount in the wanted currency") },
  ],
  [
    "exchange_rate",
    "Today's exchange rate between two currencies.",
    { from: s("ISO code"), to: s("ISO code") },
    { rate: n("units of `to` per unit of `from`") },
  ],
  [
    "celsius_to_fahrenheit",
    "Convert a temperature from Celsius to Fahrenheit.",
    { celsius: n("degrees Celsius") },
    { fahrenheit: n("degrees Fahrenheit") },
  ],
  [
    "fahrenheit_to_celsius",
    "Convert a temperature from Fahrenheit to Celsius.",
    { fahrenheit: n("degrees Fahrenheit") },
    { celsius: n("degrees Celsius") },
  ],
  ["km_to_miles", "Convert a distance from kilometres to miles.", { km: n("kilometres") }, { miles: n("miles") }],
  ["miles_to_km", "Convert a distance from miles to kilometres.", { miles: n("miles") }, { km: n("kilometres") }],
  ["kg_to_pounds", "Convert a weight from kilograms to pounds.", { kg: n("kilograms") }, { pounds: n("pounds") }],
  [
    "geocode_city",
    "Find a city's coordinates and country from its name.",
    { city: s("city name") },
    { lat: n("latitude"), lon: n("longitude"), country: s("country name") },
  ],
  [
    "geocode_address",
    "Find the coordinates of a street address.",
    { address: s("street address") },
    { lat: n("latitude"), lon: n("longitude") },
  ],
  [
    "reverse_geocode",
    "Find the city at coordinates.",
    { lat: n("latitude"), lon: n("longitude") },
    { city: s("city name"), country: s("country name") },
  ],
  [
    "distance_between",
    "Great-circle distance in kilometres between two coordinates.",
    {
      fromLat: n("start latitude"),
      fromLon: n("start longitude"),
      toLat: n("end latitude"),
      toLon: n("end longitude"),
    },
    { km: n("distance in kilometres") },
  ],
  [
    "weather_forecast",
    "Today's weather at coordinates: high and low in Celsius and the sky condition.",
    { lat: n("latitude"), lon: n("longitude") },
    { highC: n("high in Celsius"), lowC: n("low in Celsius"), condition: s("sky condition") },
  ],
  [
    "weather_history",
    "Past weather at coordinates on a date.",
    { lat: n("latitude"), lon: n("longitude"), date: s("past date") },
    { highC: n("high in Celsius"), rainMm: n("rain in millimetres") },
  ],
  [
    "air_quality",
    "Air quality index at coordinates.",
    { lat: n("latitude"), lon: n("longitude") },
    { aqi: n("air quality index"), pollutant: s("main pollutant") },
  ],
  [
    "uv_index",
    "Ultraviolet index at coordinates today.",
    { lat: n("latitude"), lon: n("longitude") },
    { uv: n("UV index") },
  ],
  [
    "timezone_at",
    "The time zone at coordinates.",
    { lat: n("latitude"), lon: n("longitude") },
    { timezone: s("IANA time zone") },
  ],
  [
    "local_time",
    "The current local time in a time zone.",
    { timezone: s("IANA time zone") },
    { time: s("local time, HH:MM") },
  ],
  [
    "sunrise_sunset",
    "Sunrise and sunset times at coordinates today.",
    { lat: n("latitude"), lon: n("longitude") },
    { sunrise: s("sunrise time"), sunset: s("sunset time") },
  ],
  [
    "country_info",
    "Facts about a country: capital, currency and population.",
    { country: s("country name") },
    { capital: s("capital city"), currency: s("ISO currency code"), population: n("inhabitants") },
  ],
  [
    "translate_text",
    "Translate text into a target language.",
    { text: s("text to translate"), targetLanguage: s("language code such as fr") },
    { translated: s("translated text") },
  ],
  [
    "detect_language",
    "Detect which language a text is written in.",
    { text: s("any text") },
    { language: s("language code") },
  ],
  [
    "summarize_text",
    "Summarize a long text in a few sentences.",
    { text: s("text to summarize") },
    { summary: s("short summary") },
  ],
  ["count_words", "Count the words in a text.", { text: s("any text") }, { words: n("word count") }],
  [
    "extract_keywords",
    "Pick the main keywords of a text.",
    { text: s("any text") },
    { keywords: z.array(z.string()).describe("keywords") },
  ],
  [
    "sentiment_of_text",
    "Judge whether a text is positive, neutral or negative.",
    { text: s("any text") },
    { sentiment: s("positive, neutral or negative"), score: n("-1 to 1") },
  ],
  ["spell_check", "Correct spelling mistakes in a text.", { text: s("any text") }, { corrected: s("corrected text") }],
  ["uppercase_text", "Turn a text to upper case.", { text: s("any text") }, { upper: s("upper-cased text") }],
  [
    "send_email",
    "Send an email and give its message id.",
    { to: s("recipient address"), subject: s("subject line"), body: s("message text") },
    { messageId: s("id of the sent message") },
  ],
  [
    "send_sms",
    "Send a text message to a phone number.",
    { phone: s("phone number"), message: s("message text") },
    { smsId: s("id of the sent SMS") },
  ],
  [
    "post_to_chat",
    "Post a message in a team chat channel.",
    { channel: s("channel name"), message: s("message text") },
    { postId: s("id of the post") },
  ],
  [
    "send_push_notification",
    "Send a push notification to a device.",
    { deviceToken: s("device token"), message: s("message text") },
    { delivered: z.boolean().describe("whether it was delivered") },
  ],
  [
    "format_date",
    "Format a date with a pattern such as DD/MM/YYYY.",
    { date: s("ISO date"), pattern: s("format pattern") },
    { formatted: s("formatted date") },
  ],
  [
    "parse_date",
    "Read a date written in words into an ISO date.",
    { text: s("date in words") },
    { date: s("ISO date") },
  ],
  [
    "add_days",
    "Add a number of days to a date.",
    { date: s("ISO date"), days: n("days to add") },
    { date: s("resulting ISO date") },
  ],
  [
    "days_between",
    "Number of days between two dates.",
    { start: s("ISO start date"), end: s("ISO end date") },
    { days: n("days between") },
  ],
  ["day_of_week", "Which weekday a date falls on.", { date: s("ISO date") }, { weekday: s("weekday name") }],
  ["shorten_url", "Make a short link for a URL.", { url: s("long URL") }, { shortUrl: s("short link") }],
  [
    "fetch_web_page",
    "Download a web page: its HTML and title.",
    { url: s("page URL") },
    { html: s("page HTML"), title: s("page title") },
  ],
  [
    "html_to_text",
    "Strip the markup of an HTML page, keeping its text.",
    { html: s("HTML source") },
    { text: s("plain text") },
  ],
  [
    "screenshot_page",
    "Take a screenshot of a web page.",
    { url: s("page URL") },
    { pngBase64: s("PNG image, base64") },
  ],
  ["hash_text", "SHA-256 hash of a text.", { text: s("any text") }, { sha256: s("hex digest") }],
  [
    "generate_qr_code",
    "Make a QR code image for a text.",
    { text: s("text to encode") },
    { pngBase64: s("PNG image, base64") },
  ],
  [
    "stock_quote",
    "The latest price of a stock by ticker symbol.",
    { symbol: s("ticker symbol") },
    { price: n("last price"), currency: s("ISO currency code") },
  ],
  [
    "company_by_ticker",
    "Company name and sector for a ticker symbol.",
    { symbol: s("ticker symbol") },
    { name: s("company name"), sector: s("industry sector") },
  ],
  [
    "crypto_price",
    "Current price of a cryptocurrency in US dollars.",
    { coin: s("coin symbol") },
    { usd: n("price in US dollars") },
  ],
  [
    "vat_for_country",
    "The standard VAT rate of a country.",
    { country: s("country name") },
    { vatPercent: n("VAT rate in percent") },
  ],
  [
    "apply_percentage",
    "Add a percentage to an amount (taxes, tips, markups).",
    { amount: n("base amount"), percent: n("percentage to add") },
    { total: n("amount plus the percentage") },
  ],
  [
    "round_number",
    "Round a number to a number of decimals.",
    { value: n("number"), decimals: n("decimals to keep") },
    { rounded: n("rounded number") },
  ],
  ["random_password", "Generate a random password.", { length: n("characters") }, { password: s("new password") }],
  [
    "validate_email",
    "Check whether an email address is well-formed and its domain accepts mail.",
    { email: s("address to check") },
    { valid: z.boolean().describe("whether it can receive mail") },
  ],
];

/** A value of the right type for each output field: "x", 1, true or []. */
function sampleOutput(shape: Shape): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(shape).map(([key, schema]) => [
      key,
      schema instanceof z.ZodNumber
        ? 1
        : schema instanceof z.ZodBoolean
          ? true
          : schema instanceof z.ZodArray
            ? []
            : "x",
    ]),
  );
}

/** The 500 tools: 450 record operations and 50 utilities. */
export function syntheticCatalog(): Tool[] {
  const utilities = UTILITIES.map(([name, description, input, output]) =>
    tool({ name, description, input: z.object(input), output: z.object(output) }, () => sampleOutput(output)),
  );
  return [...RECORDS.flatMap(([noun, plural, fields]) => recordTools(noun, plural, fields)), ...utilities];
}

/** A task for tool selection, with the tools a correct workflow needs. */
export interface LabelledTask {
  name: string;
  description: string;
  input: Shape;
  output: Shape;
  needs: string[];
}

export const LABELLED_TASKS: LabelledTask[] = [
  {
    name: "city_high_f",
    description: "Today's high temperature in a city, in Fahrenheit.",
    input: { city: s("city") },
    output: { highF: n("high in Fahrenheit") },
    needs: ["geocode_city", "weather_forecast", "celsius_to_fahrenheit"],
  },
  {
    name: "invoice_in_euros",
    description: "How much an invoice comes to in euros.",
    input: { invoiceId: s("invoice") },
    output: { amountEur: n("amount in EUR") },
    needs: ["get_invoice", "convert_currency"],
  },
  {
    name: "email_invoice_total",
    description: "Mail the total due on an invoice to an address.",
    input: { invoiceId: s("invoice"), email: s("recipient") },
    output: { messageId: s("sent mail") },
    needs: ["get_invoice", "send_email"],
  },
  {
    name: "shipment_count",
    description: "How many shipments are there in all?",
    input: {},
    output: { count: n("number of shipments") },
    needs: ["count_shipments"],
  },
  {
    name: "archive_ticket",
    description: "Archive a support ticket so it no longer shows up.",
    input: { ticketId: s("ticket") },
    output: { archived: z.boolean() },
    needs: ["archive_ticket"],
  },
  {
    name: "contract_changes",
    description: "Who changed a project and when.",
    input: { projectId: s("project") },
    output: { events: z.array(z.object({ at: z.string(), change: z.string() })) },
    needs: ["get_project_history"],
  },
  {
    name: "page_summary",
    description: "A short summary of what a web page says.",
    input: { url: s("page") },
    output: { summary: s("summary") },
    needs: ["fetch_web_page", "html_to_text", "summarize_text"],
  },
  {
    name: "review_in_english",
    description: "Translate a product review's text into English.",
    input: { productReviewId: s("review") },
    output: { translated: s("English text") },
    needs: ["get_product_review", "translate_text"],
  },
  {
    name: "local_time_in_city",
    description: "What time is it right now in a given city?",
    input: { city: s("city") },
    output: { time: s("local time") },
    needs: ["geocode_city", "timezone_at", "local_time"],
  },
  {
    name: "stock_in_euros",
    description: "The current share price of a ticker, converted to euros.",
    input: { symbol: s("ticker") },
    output: { priceEur: n("price in EUR") },
    needs: ["stock_quote", "convert_currency"],
  },
  {
    name: "sms_order_status",
    description: "Text a customer's phone the status of their order.",
    input: { orderId: s("order"), phone: s("phone") },
    output: { smsId: s("SMS id") },
    needs: ["get_order", "send_sms"],
  },
  {
    name: "new_ticket",
    description: "Open a new support ticket with a subject, a message and a priority.",
    input: { subject: s("subject"), body: s("message"), priority: s("priority") },
    output: { ticketId: s("new ticket") },
    needs: ["create_ticket"],
  },
  {
    name: "product_price_usd",
    description: "The unit price of a product in US dollars.",
    input: { productId: s("product") },
    output: { priceUsd: n("price in USD") },
    needs: ["get_product", "convert_currency"],
  },
  {
    name: "ticket_sentiment",
    description: "Is the customer's message in a support ticket angry or happy?",
    input: { ticketId: s("ticket") },
    output: { sentiment: s("positive, neutral or negative") },
    needs: ["get_ticket", "sentiment_of_text"],
  },
  {
    name: "air_in_city",
    description: "The air quality index of a city today.",
    input: { city: s("city") },
    output: { aqi: n("air quality index") },
    needs: ["geocode_city", "air_quality"],
  },
  {
    name: "employees_csv",
    description: "All staff members as a CSV file.",
    input: {},
    output: { csv: s("CSV text") },
    needs: ["export_employees_csv"],
  },
  {
    name: "delete_coupon",
    description: "Remove a discount coupon for good.",
    input: { couponId: s("coupon") },
    output: { deleted: z.boolean() },
    needs: ["delete_coupon"],
  },
  {
    name: "flight_price_gbp",
    description: "What a booked flight costs in pounds sterling.",
    input: { flightId: s("flight") },
    output: { priceGbp: n("price in GBP") },
    needs: ["get_flight", "convert_currency"],
  },
  {
    name: "article_keywords",
    description: "The main keywords of an article's text.",
    input: { articleId: s("article") },
    output: { keywords: z.array(z.string()) },
    needs: ["get_article", "extract_keywords"],
  },
  {
    name: "mileage_miles",
    description: "A vehicle's odometer reading in miles.",
    input: { vehicleId: s("vehicle") },
    output: { miles: n("odometer in miles") },
    needs: ["get_vehicle", "km_to_miles"],
  },
  {
    name: "renewal_weekday",
    description: "On which weekday does a subscription renew?",
    input: { subscriptionId: s("subscription") },
    output: { weekday: s("weekday") },
    needs: ["get_subscription", "day_of_week"],
  },
  {
    name: "notify_incident",
    description: "Post an incident's title to a team chat channel.",
    input: { incidentId: s("incident"), channel: s("channel") },
    output: { postId: s("post") },
    needs: ["get_incident", "post_to_chat"],
  },
  {
    name: "hotel_city_weather",
    description: "The sky condition today where a hotel booking is.",
    input: { hotelBookingId: s("booking") },
    output: { condition: s("sky") },
    needs: ["get_hotel_booking", "geocode_city", "weather_forecast"],
  },
  {
    name: "customer_email_check",
    description: "Can a customer's email address actually receive mail?",
    input: { customerId: s("customer") },
    output: { valid: z.boolean() },
    needs: ["get_customer", "validate_email"],
  },
  {
    name: "warehouse_distance",
    description: "How far apart two cities are in kilometres.",
    input: { fromCity: s("first city"), toCity: s("second city") },
    output: { km: n("distance") },
    needs: ["geocode_city", "distance_between"],
  },
  {
    name: "document_word_count",
    description: "How many words a document has.",
    input: { documentId: s("document") },
    output: { words: n("word count") },
    needs: ["get_document", "count_words"],
  },
  {
    name: "price_with_vat",
    description: "A product's price including the VAT of a country.",
    input: { productId: s("product"), country: s("country") },
    output: { total: n("price with VAT") },
    needs: ["get_product", "vat_for_country", "apply_percentage"],
  },
  {
    name: "find_bug",
    description: "Look up bug reports matching a phrase.",
    input: { query: s("phrase") },
    output: { results: z.array(z.object({ bugReportId: z.string(), title: z.string() })) },
    needs: ["search_bug_reports"],
  },
  {
    name: "country_currency_rate",
    description: "The exchange rate from US dollars to the currency of a country.",
    input: { country: s("country") },
    output: { rate: n("rate") },
    needs: ["country_info", "exchange_rate"],
  },
  {
    name: "meeting_reminder_sms",
    description: "Text someone the start time of a meeting.",
    input: { meetingId: s("meeting"), phone: s("phone") },
    output: { smsId: s("SMS") },
    needs: ["get_meeting", "send_sms"],
  },
  {
    name: "balance_in_usd",
    description: "A bank account's balance in US dollars.",
    input: { bankAccountId: s("account") },
    output: { usd: n("balance in USD") },
    needs: ["get_bank_account", "convert_currency"],
  },
  {
    name: "student_mail",
    description: "Email a student their average grade.",
    input: { studentId: s("student") },
    output: { messageId: s("mail") },
    needs: ["get_student", "send_email"],
  },
  {
    name: "rename_project",
    description: "Give a project a new name.",
    input: { projectId: s("project"), name: s("new name") },
    output: { updated: z.boolean() },
    needs: ["update_project"],
  },
  {
    name: "recent_orders",
    description: "The latest orders placed.",
    input: { limit: n("how many") },
    output: { items: z.array(z.object({ orderId: z.string(), title: z.string() })) },
    needs: ["list_orders"],
  },
  {
    name: "sunset_in_city",
    description: "When does the sun set today in a city?",
    input: { city: s("city") },
    output: { sunset: s("sunset time") },
    needs: ["geocode_city", "sunrise_sunset"],
  },
];
