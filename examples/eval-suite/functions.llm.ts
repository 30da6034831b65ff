import { llmFunction } from "llm-function";
import { z } from "zod";

// Twenty feasible tasks over the suite's tools, from one step to six, each with test cases.
// `llmfn eval` plans each of them from scratch and replays the result on these tests.

export const slugForTitle = llmFunction({
  name: "slug_for_title",
  description: "Make the URL slug of an article title.",
  input: z.object({ title: z.string() }),
  output: z.object({ slug: z.string() }),
  tests: [
    { input: { title: "Hello, World!" }, expected: { slug: "hello-world" } },
    { input: { title: "  Ten Tips for Café Owners  " }, expected: { slug: "ten-tips-for-cafe-owners" } },
  ],
});

export const textStats = llmFunction({
  name: "text_stats",
  description: "Count the words and the characters of a text.",
  input: z.object({ text: z.string() }),
  output: z.object({ words: z.number().int(), characters: z.number().int() }),
  tests: [
    { input: { text: "The quick brown fox" }, expected: { words: 4, characters: 19 } },
    { input: { text: "one" }, expected: { words: 1, characters: 3 } },
  ],
});

export const convertPrice = llmFunction({
  name: "convert_price",
  description:
    "Convert an amount of money from one currency to another; return the converted amount and the target currency code.",
  input: z.object({ amount: z.number(), from: z.string(), to: z.string() }),
  output: z.object({ amount: z.number(), currency: z.string() }),
  tests: [
    { input: { amount: 100, from: "EUR", to: "USD" }, expected: { amount: 108, currency: "USD" } },
    { input: { amount: 50, from: "GBP", to: "NOK" }, expected: { amount: 676.47, currency: "NOK" } },
  ],
});

export const countryFacts = llmFunction({
  name: "country_facts",
  description: "Facts about a country: its capital, its currency and its main (first listed) official language.",
  input: z.object({ country: z.string() }),
  output: z.object({ capital: z.string(), currency: z.string(), mainLanguage: z.string() }),
  tests: [
    { input: { country: "Norway" }, expected: { capital: "Oslo", currency: "NOK", mainLanguage: "Norwegian" } },
    { input: { country: "Peru" }, expected: { capital: "Lima", currency: "PEN", mainLanguage: "Spanish" } },
  ],
});

export const customerTier = llmFunction({
  name: "customer_tier",
  description: "For a customer's email address, return the customer's name, loyalty tier and home city.",
  input: z.object({ email: z.string() }),
  output: z.object({ name: z.string(), tier: z.string(), city: z.string() }),
  tests: [
    { input: { email: "ada@example.com" }, expected: { name: "Ada Lovelace", tier: "gold", city: "London" } },
    {
      input: { email: "katherine@example.com" },
      expected: { name: "Katherine Johnson", tier: "bronze", city: "Oslo" },
    },
  ],
});

export const cityDistance = llmFunction({
  name: "city_distance",
  description: "The great-circle distance in kilometres between two cities given by name.",
  input: z.object({ from: z.string(), to: z.string() }),
  output: z.object({ km: z.number().int() }),
  tests: [
    { input: { from: "Paris", to: "Berlin" }, expected: { km: 877 } },
    { input: { from: "london", to: "New York" }, expected: { km: 5570 } },
  ],
});

export const productPriceIn = llmFunction({
  name: "product_price_in",
  description:
    "The unit price of a product (by SKU) in a currency the caller chooses: look the product up, turn its price in cents into currency units, and convert that from the product's own currency. Return the product's name, the converted price and the currency code.",
  input: z.object({ sku: z.string(), currency: z.string() }),
  output: z.object({ name: z.string(), price: z.number(), currency: z.string() }),
  tests: [
    {
      input: { sku: "KB-01", currency: "USD" },
      expected: { name: "Mechanical Keyboard", price: 53.99, currency: "USD" },
    },
    { input: { sku: "MN-04", currency: "EUR" }, expected: { name: "27-inch Monitor", price: 175.92, currency: "EUR" } },
  ],
});

export const deliveryDate = llmFunction({
  name: "delivery_date",
  description:
    "When a parcel sent today arrives: quote the shipping of a parcel of the given weight to the country, then add the days in transit to today's date. Return the carrier, the arrival date and its weekday.",
  input: z.object({ today: z.string().describe("YYYY-MM-DD"), weightGrams: z.number().int(), country: z.string() }),
  output: z.object({ carrier: z.string(), arrival: z.string(), weekday: z.string() }),
  tests: [
    {
      input: { today: "2026-03-02", weightGrams: 300, country: "France" },
      expected: { carrier: "PostLight", arrival: "2026-03-05", weekday: "Thursday" },
    },
    {
      input: { today: "2026-03-02", weightGrams: 5400, country: "Japan" },
      expected: { carrier: "FreightOne", arrival: "2026-03-13", weekday: "Friday" },
    },
  ],
});

export const greetingForCity = llmFunction({
  name: "greeting_for_city",
  description:
    "How to say hello in a city: find the city's country, take that country's main (first listed) language, and translate the greeting into it. Return the greeting, the language and the country.",
  input: z.object({ city: z.string() }),
  output: z.object({ greeting: z.string(), language: z.string(), country: z.string() }),
  tests: [
    { input: { city: "Vienna" }, expected: { greeting: "Hallo", language: "German", country: "Austria" } },
    { input: { city: "lima" }, expected: { greeting: "Hola", language: "Spanish", country: "Peru" } },
    { input: { city: "Tokyo" }, expected: { greeting: "Konnichiwa", language: "Japanese", country: "Japan" } },
  ],
});

export const firstItemStock = llmFunction({
  name: "first_item_stock",
  description:
    "For an order, how many units of its first item's product are available in the main warehouse. Return the SKU and the units available.",
  input: z.object({ orderId: z.string() }),
  output: z.object({ sku: z.string(), available: z.number().int() }),
  tests: [
    { input: { orderId: "o-5002" }, expected: { sku: "MS-02", available: 33 } },
    { input: { orderId: "o-5003" }, expected: { sku: "MN-04", available: 19 } },
  ],
});

export const localTimeInCity = llmFunction({
  name: "local_time_in_city",
  description:
    "The local wall-clock time in a city at a given UTC time. Return the city's canonical name and the local time.",
  input: z.object({ city: z.string(), utc: z.string().describe("ISO 8601 UTC time") }),
  output: z.object({ city: z.string(), local: z.string() }),
  tests: [
    { input: { city: "tokyo", utc: "2026-03-02T20:30:00Z" }, expected: { city: "Tokyo", local: "2026-03-03T05:30" } },
    {
      input: { city: "New York", utc: "2026-03-02T03:00:00Z" },
      expected: { city: "New York", local: "2026-03-01T22:00" },
    },
  ],
});

export const discountedTotal = llmFunction({
  name: "discounted_total",
  description:
    "The price a customer in a country pays for one unit of a product (by SKU) after a percentage discount: take the product's price in cents as currency units, apply the discount, then add the country's sales tax. Return the gross total, the tax and the money saved by the discount.",
  input: z.object({ sku: z.string(), percent: z.number(), country: z.string() }),
  output: z.object({ total: z.number(), tax: z.number(), saved: z.number() }),
  tests: [
    { input: { sku: "KB-01", percent: 10, country: "France" }, expected: { total: 53.99, tax: 9, saved: 5 } },
    { input: { sku: "CB-03", percent: 50, country: "Norway" }, expected: { total: 6.24, tax: 1.25, saved: 5 } },
  ],
});

export const emailOrderStatus = llmFunction({
  name: "email_order_status",
  description:
    'Email the customer who placed an order the order\'s status: the subject must read "Order <order id>: <status>" and the body "Hello <customer name>, your order placed on <date placed> is <status>.". Return the message id and the recipient\'s address.',
  input: z.object({ orderId: z.string() }),
  output: z.object({ messageId: z.string(), to: z.string() }),
  tests: [
    { input: { orderId: "o-5001" }, expected: { messageId: "msg-3a44e0c9", to: "ada@example.com" } },
    { input: { orderId: "o-5004" }, expected: { messageId: "msg-fa2b33d1", to: "hedy@example.com" } },
  ],
});

export const shippingCostIn = llmFunction({
  name: "shipping_cost_in",
  description:
    "What shipping one unit of a product (by SKU) to a country costs in a currency the caller chooses: quote the shipping for the product's weight, turn the cost in euro cents into euros, and convert the euros into the chosen currency. Return the carrier, the converted cost and the currency code.",
  input: z.object({ sku: z.string(), country: z.string(), currency: z.string() }),
  output: z.object({ carrier: z.string(), cost: z.number(), currency: z.string() }),
  tests: [
    {
      input: { sku: "MS-02", country: "United States", currency: "USD" },
      expected: { carrier: "PostLight", cost: 13.61, currency: "USD" },
    },
    {
      input: { sku: "MN-04", country: "Norway", currency: "NOK" },
      expected: { carrier: "FreightOne", cost: 369.15, currency: "NOK" },
    },
  ],
});

export const summarySlug = llmFunction({
  name: "summary_slug",
  description:
    "Shorten a text to at most a given number of words, and make a URL slug of that short version. Return both.",
  input: z.object({ text: z.string(), maxWords: z.number().int() }),
  output: z.object({ summary: z.string(), slug: z.string() }),
  tests: [
    {
      input: { text: "Local models plan workflows once and run them forever", maxWords: 3 },
      expected: { summary: "Local models plan…", slug: "local-models-plan" },
    },
    { input: { text: "Short text", maxWords: 5 }, expected: { summary: "Short text", slug: "short-text" } },
  ],
});

export const openTicket = llmFunction({
  name: "open_ticket",
  description:
    'Open a high-priority support ticket for the customer with this email address, titled "<customer tier> customer: <problem>" (e.g. "gold customer: Late delivery"). Return the ticket id and its URL.',
  input: z.object({ email: z.string(), problem: z.string() }),
  output: z.object({ ticketId: z.string(), url: z.string() }),
  tests: [
    {
      input: { email: "grace@example.com", problem: "Broken mouse" },
      expected: { ticketId: "T-d59b39a7", url: "https://support.example.com/tickets/T-d59b39a7" },
    },
    {
      input: { email: "hedy@example.com", problem: "Late delivery" },
      expected: { ticketId: "T-e65a1a78", url: "https://support.example.com/tickets/T-e65a1a78" },
    },
  ],
});

export const latestOrderProduct = llmFunction({
  name: "latest_order_product",
  description:
    "For a customer's email address, the name of the product in the first item of the customer's most recent order, and that item's quantity.",
  input: z.object({ email: z.string() }),
  output: z.object({ product: z.string(), quantity: z.number().int() }),
  tests: [
    { input: { email: "ada@example.com" }, expected: { product: "Wireless Mouse", quantity: 1 } },
    { input: { email: "grace@example.com" }, expected: { product: "Wireless Mouse", quantity: 2 } },
  ],
});

export const orderDeliveryEstimate = llmFunction({
  name: "order_delivery_estimate",
  description:
    "Estimate when an order arrives: ship its first item's product (by its weight) to the country of the customer who placed it, and add the days in transit to the date the order was placed. Return the customer's name, the carrier and the arrival date.",
  input: z.object({ orderId: z.string() }),
  output: z.object({ customer: z.string(), carrier: z.string(), arrival: z.string() }),
  tests: [
    {
      input: { orderId: "o-5001" },
      expected: { customer: "Ada Lovelace", carrier: "ParcelGo", arrival: "2026-03-06" },
    },
    {
      input: { orderId: "o-5003" },
      expected: { customer: "Katherine Johnson", carrier: "FreightOne", arrival: "2026-03-16" },
    },
  ],
});

export const welcomeEmail = llmFunction({
  name: "welcome_email",
  description:
    'Send a customer (by email address) a welcome email in the main language of the country of the customer\'s home city: the subject is "<greeting>, <customer name>!" with the greeting translated into that language, and the body is "Welcome to our shop.". Return the message id and the subject.',
  input: z.object({ email: z.string() }),
  output: z.object({ messageId: z.string(), subject: z.string() }),
  tests: [
    {
      input: { email: "katherine@example.com" },
      expected: { messageId: "msg-95e070f9", subject: "Hei, Katherine Johnson!" },
    },
    { input: { email: "alan@example.com" }, expected: { messageId: "msg-966dc840", subject: "Bonjour, Alan Turing!" } },
  ],
});

export const orderTotalIn = llmFunction({
  name: "order_total_in",
  description:
    "The gross price of one unit of an order's first item, in a currency the caller chooses: take the product's price in cents as units of the product's currency, add the sales tax of the ordering customer's country, and convert the total from the product's currency. Return the product name, the converted total and the currency code.",
  input: z.object({ orderId: z.string(), currency: z.string() }),
  output: z.object({ product: z.string(), total: z.number(), currency: z.string() }),
  tests: [
    {
      input: { orderId: "o-5005", currency: "EUR" },
      expected: { product: "Studio Headphones", total: 112.93, currency: "EUR" },
    },
    {
      input: { orderId: "o-5003", currency: "NOK" },
      expected: { product: "27-inch Monitor", total: 2528.83, currency: "NOK" },
    },
  ],
});
