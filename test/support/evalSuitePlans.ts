import type { KnownStep } from "./noisyModel";

/**
 * A correct plan for each feasible function of examples/eval-suite, written as a planner writes
 * them (tool names, `tool.output.path` references, `{{ }}` templates); the noisy model starts
 * from these. The infeasible functions are the ones declared with `expectInfeasible`.
 */
export const EVAL_SUITE_PLANS: Record<string, KnownStep[]> = {
  slug_for_title: [
    { name: "slugify", args: { text: "input.output.title" } },
    { name: "output_model", args: { slug: "slugify.output.slug" } },
  ],
  text_stats: [
    { name: "word_count", args: { text: "input.output.text" } },
    { name: "output_model", args: { words: "word_count.output.words", characters: "word_count.output.characters" } },
  ],
  convert_price: [
    {
      name: "convert_currency",
      args: { amount: "input.output.amount", from: "input.output.from", to: "input.output.to" },
    },
    {
      name: "output_model",
      args: { amount: "convert_currency.output.amount", currency: "convert_currency.output.currency" },
    },
  ],
  country_facts: [
    { name: "country_info", args: { country: "input.output.country" } },
    {
      name: "output_model",
      args: {
        capital: "country_info.output.capital",
        currency: "country_info.output.currency",
        mainLanguage: "country_info.output.languages[0]",
      },
    },
  ],
  customer_tier: [
    { name: "find_customer", args: { email: "input.output.email" } },
    {
      name: "output_model",
      args: {
        name: "find_customer.output.customer.name",
        tier: "find_customer.output.customer.tier",
        city: "find_customer.output.customer.address.city",
      },
    },
  ],
  city_distance: [
    { name: "geocode", args: { city: "input.output.from" } },
    { name: "geocode", args: { city: "input.output.to" } },
    {
      name: "distance_km",
      args: { fromLat: "1.output.lat", fromLon: "1.output.lon", toLat: "2.output.lat", toLon: "2.output.lon" },
    },
    { name: "output_model", args: { km: "distance_km.output.km" } },
  ],
  product_price_in: [
    { name: "get_product", args: { sku: "input.output.sku" } },
    { name: "cents_to_units", args: { cents: "get_product.output.product.priceCents" } },
    {
      name: "convert_currency",
      args: {
        amount: "cents_to_units.output.units",
        from: "get_product.output.product.currency",
        to: "input.output.currency",
      },
    },
    {
      name: "output_model",
      args: {
        name: "get_product.output.product.name",
        price: "convert_currency.output.amount",
        currency: "convert_currency.output.currency",
      },
    },
  ],
  delivery_date: [
    { name: "shipping_quote", args: { weightGrams: "input.output.weightGrams", country: "input.output.country" } },
    { name: "add_days", args: { date: "input.output.today", days: "shipping_quote.output.days" } },
    {
      name: "output_model",
      args: {
        carrier: "shipping_quote.output.carrier",
        arrival: "add_days.output.date",
        weekday: "add_days.output.weekday",
      },
    },
  ],
  greeting_for_city: [
    { name: "geocode", args: { city: "input.output.city" } },
    { name: "country_info", args: { country: "geocode.output.country" } },
    { name: "translate_greeting", args: { language: "country_info.output.languages[0]" } },
    {
      name: "output_model",
      args: {
        greeting: "translate_greeting.output.greeting",
        language: "country_info.output.languages[0]",
        country: "geocode.output.country",
      },
    },
  ],
  first_item_stock: [
    { name: "get_order", args: { orderId: "input.output.orderId" } },
    { name: "check_stock", args: { sku: "get_order.output.order.items[0].sku", warehouse: "main" } },
    { name: "output_model", args: { sku: "check_stock.output.sku", available: "check_stock.output.available" } },
  ],
  local_time_in_city: [
    { name: "geocode", args: { city: "input.output.city" } },
    { name: "local_time", args: { timezone: "geocode.output.timezone", utc: "input.output.utc" } },
    { name: "output_model", args: { city: "geocode.output.name", local: "local_time.output.local" } },
  ],
  discounted_total: [
    { name: "get_product", args: { sku: "input.output.sku" } },
    { name: "cents_to_units", args: { cents: "get_product.output.product.priceCents" } },
    { name: "apply_discount", args: { amount: "cents_to_units.output.units", percent: "input.output.percent" } },
    { name: "add_tax", args: { amount: "apply_discount.output.amount", country: "input.output.country" } },
    {
      name: "output_model",
      args: { total: "add_tax.output.total", tax: "add_tax.output.tax", saved: "apply_discount.output.saved" },
    },
  ],
  email_order_status: [
    { name: "get_order", args: { orderId: "input.output.orderId" } },
    { name: "get_customer", args: { customerId: "get_order.output.order.customerId" } },
    {
      name: "send_email",
      args: {
        to: "get_customer.output.customer.email",
        subject: "Order {{get_order.output.order.id}}: {{get_order.output.order.status}}",
        body: "Hello {{get_customer.output.customer.name}}, your order placed on {{get_order.output.order.placedOn}} is {{get_order.output.order.status}}.",
      },
    },
    { name: "output_model", args: { messageId: "send_email.output.messageId", to: "send_email.output.to" } },
  ],
  shipping_cost_in: [
    { name: "get_product", args: { sku: "input.output.sku" } },
    {
      name: "shipping_quote",
      args: { weightGrams: "get_product.output.product.weightGrams", country: "input.output.country" },
    },
    { name: "cents_to_units", args: { cents: "shipping_quote.output.costCents" } },
    {
      name: "convert_currency",
      args: { amount: "cents_to_units.output.units", from: "EUR", to: "input.output.currency" },
    },
    {
      name: "output_model",
      args: {
        carrier: "shipping_quote.output.carrier",
        cost: "convert_currency.output.amount",
        currency: "convert_currency.output.currency",
      },
    },
  ],
  summary_slug: [
    { name: "summarize_text", args: { text: "input.output.text", maxWords: "input.output.maxWords" } },
    { name: "slugify", args: { text: "summarize_text.output.summary" } },
    { name: "output_model", args: { summary: "summarize_text.output.summary", slug: "slugify.output.slug" } },
  ],
  open_ticket: [
    { name: "find_customer", args: { email: "input.output.email" } },
    {
      name: "create_ticket",
      args: {
        customerId: "find_customer.output.customer.id",
        title: "{{find_customer.output.customer.tier}} customer: {{input.output.problem}}",
        priority: "high",
      },
    },
    { name: "output_model", args: { ticketId: "create_ticket.output.ticketId", url: "create_ticket.output.url" } },
  ],
  latest_order_product: [
    { name: "find_customer", args: { email: "input.output.email" } },
    { name: "list_orders", args: { customerId: "find_customer.output.customer.id" } },
    { name: "get_product", args: { sku: "list_orders.output.orders[0].items[0].sku" } },
    {
      name: "output_model",
      args: { product: "get_product.output.product.name", quantity: "list_orders.output.orders[0].items[0].quantity" },
    },
  ],
  order_delivery_estimate: [
    { name: "get_order", args: { orderId: "input.output.orderId" } },
    { name: "get_customer", args: { customerId: "get_order.output.order.customerId" } },
    { name: "get_product", args: { sku: "get_order.output.order.items[0].sku" } },
    {
      name: "shipping_quote",
      args: {
        weightGrams: "get_product.output.product.weightGrams",
        country: "get_customer.output.customer.address.country",
      },
    },
    { name: "add_days", args: { date: "get_order.output.order.placedOn", days: "shipping_quote.output.days" } },
    {
      name: "output_model",
      args: {
        customer: "get_customer.output.customer.name",
        carrier: "shipping_quote.output.carrier",
        arrival: "add_days.output.date",
      },
    },
  ],
  welcome_email: [
    { name: "find_customer", args: { email: "input.output.email" } },
    { name: "geocode", args: { city: "find_customer.output.customer.address.city" } },
    { name: "country_info", args: { country: "geocode.output.country" } },
    { name: "translate_greeting", args: { language: "country_info.output.languages[0]" } },
    {
      name: "send_email",
      args: {
        to: "find_customer.output.customer.email",
        subject: "{{translate_greeting.output.greeting}}, {{find_customer.output.customer.name}}!",
        body: "Welcome to our shop.",
      },
    },
    {
      name: "output_model",
      args: {
        messageId: "send_email.output.messageId",
        subject: "{{translate_greeting.output.greeting}}, {{find_customer.output.customer.name}}!",
      },
    },
  ],
  order_total_in: [
    { name: "get_order", args: { orderId: "input.output.orderId" } },
    { name: "get_customer", args: { customerId: "get_order.output.order.customerId" } },
    { name: "get_product", args: { sku: "get_order.output.order.items[0].sku" } },
    { name: "cents_to_units", args: { cents: "get_product.output.product.priceCents" } },
    {
      name: "add_tax",
      args: { amount: "cents_to_units.output.units", country: "get_customer.output.customer.address.country" },
    },
    {
      name: "convert_currency",
      args: {
        amount: "add_tax.output.total",
        from: "get_product.output.product.currency",
        to: "input.output.currency",
      },
    },
    {
      name: "output_model",
      args: {
        product: "get_product.output.product.name",
        total: "convert_currency.output.amount",
        currency: "convert_currency.output.currency",
      },
    },
  ],
};
