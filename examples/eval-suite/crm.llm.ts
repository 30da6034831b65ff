import { tool } from "llm-function";
import { z } from "zod";

// Customers, orders and products of a small online shop, as in-memory tables.

const address = z.object({ street: z.string(), city: z.string(), country: z.string() });
const customer = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  tier: z.enum(["bronze", "silver", "gold"]),
  address,
});
const orderItem = z.object({ sku: z.string(), quantity: z.number().int() });
const order = z.object({
  id: z.string(),
  customerId: z.string(),
  placedOn: z.string(),
  status: z.string(),
  items: z.array(orderItem),
});

type Customer = z.infer<typeof customer>;
type Order = z.infer<typeof order>;

const CUSTOMERS: Customer[] = [
  {
    id: "c-1001",
    name: "Ada Lovelace",
    email: "ada@example.com",
    tier: "gold",
    address: { street: "12 St James's Square", city: "London", country: "United Kingdom" },
  },
  {
    id: "c-1002",
    name: "Grace Hopper",
    email: "grace@example.com",
    tier: "silver",
    address: { street: "5 Navy Yard", city: "New York", country: "United States" },
  },
  {
    id: "c-1003",
    name: "Katherine Johnson",
    email: "katherine@example.com",
    tier: "bronze",
    address: { street: "Karl Johans gate 1", city: "Oslo", country: "Norway" },
  },
  {
    id: "c-1004",
    name: "Hedy Lamarr",
    email: "hedy@example.com",
    tier: "gold",
    address: { street: "Ringstrasse 3", city: "Vienna", country: "Austria" },
  },
  {
    id: "c-1005",
    name: "Alan Turing",
    email: "alan@example.com",
    tier: "silver",
    address: { street: "8 Rue de Rivoli", city: "Paris", country: "France" },
  },
];

const ORDERS: Order[] = [
  {
    id: "o-5001",
    customerId: "c-1001",
    placedOn: "2026-03-02",
    status: "shipped",
    items: [{ sku: "KB-01", quantity: 1 }],
  },
  {
    id: "o-5002",
    customerId: "c-1002",
    placedOn: "2026-03-05",
    status: "processing",
    items: [
      { sku: "MS-02", quantity: 2 },
      { sku: "CB-03", quantity: 1 },
    ],
  },
  {
    id: "o-5003",
    customerId: "c-1003",
    placedOn: "2026-03-09",
    status: "delivered",
    items: [{ sku: "MN-04", quantity: 1 }],
  },
  {
    id: "o-5004",
    customerId: "c-1004",
    placedOn: "2026-03-10",
    status: "processing",
    items: [{ sku: "CB-03", quantity: 3 }],
  },
  {
    id: "o-5005",
    customerId: "c-1005",
    placedOn: "2026-03-12",
    status: "shipped",
    items: [{ sku: "HD-05", quantity: 1 }],
  },
  {
    id: "o-5006",
    customerId: "c-1001",
    placedOn: "2026-03-14",
    status: "processing",
    items: [{ sku: "MS-02", quantity: 1 }],
  },
];

const product = z.object({
  sku: z.string(),
  name: z.string(),
  category: z.string(),
  priceCents: z.number().int(),
  currency: z.string(),
  weightGrams: z.number().int(),
});

const PRODUCTS: z.infer<typeof product>[] = [
  {
    sku: "KB-01",
    name: "Mechanical Keyboard",
    category: "peripherals",
    priceCents: 4999,
    currency: "EUR",
    weightGrams: 850,
  },
  {
    sku: "MS-02",
    name: "Wireless Mouse",
    category: "peripherals",
    priceCents: 2499,
    currency: "EUR",
    weightGrams: 120,
  },
  { sku: "CB-03", name: "USB-C Cable", category: "accessories", priceCents: 999, currency: "EUR", weightGrams: 60 },
  {
    sku: "MN-04",
    name: "27-inch Monitor",
    category: "displays",
    priceCents: 18999,
    currency: "USD",
    weightGrams: 5400,
  },
  { sku: "HD-05", name: "Studio Headphones", category: "audio", priceCents: 7999, currency: "GBP", weightGrams: 300 },
];

function notFound(what: string, key: string): never {
  throw new Error(`No ${what} ${JSON.stringify(key)}.`);
}

export const findCustomer = tool(
  {
    name: "find_customer",
    description: "Look up a customer by email address: id, name, loyalty tier and postal address.",
    input: z.object({ email: z.string() }),
    output: z.object({ customer }),
  },
  ({ email }) => ({
    customer: CUSTOMERS.find((c) => c.email === email.trim().toLowerCase()) ?? notFound("customer with email", email),
  }),
);

export const getCustomer = tool(
  {
    name: "get_customer",
    description: "Get a customer by customer id (such as c-1001): name, email, loyalty tier and postal address.",
    input: z.object({ customerId: z.string() }),
    output: z.object({ customer }),
  },
  ({ customerId }) => ({ customer: CUSTOMERS.find((c) => c.id === customerId) ?? notFound("customer", customerId) }),
);

export const listOrders = tool(
  {
    name: "list_orders",
    description: "A customer's orders, newest first, by customer id.",
    input: z.object({ customerId: z.string() }),
    output: z.object({ orders: z.array(order) }),
  },
  ({ customerId }) => ({
    orders: ORDERS.filter((o) => o.customerId === customerId).sort((a, b) => b.placedOn.localeCompare(a.placedOn)),
  }),
);

export const getOrder = tool(
  {
    name: "get_order",
    description:
      "Get an order by order id (such as o-5001): customer id, date placed, status and items (sku and quantity).",
    input: z.object({ orderId: z.string() }),
    output: z.object({ order }),
  },
  ({ orderId }) => ({ order: ORDERS.find((o) => o.id === orderId) ?? notFound("order", orderId) }),
);

export const getProduct = tool(
  {
    name: "get_product",
    description:
      "Get a product by SKU: name, category, unit price in cents with its currency, and shipping weight in grams.",
    input: z.object({ sku: z.string() }),
    output: z.object({ product }),
  },
  ({ sku }) => ({ product: PRODUCTS.find((p) => p.sku === sku.trim().toUpperCase()) ?? notFound("product", sku) }),
);

export const checkStock = tool(
  {
    name: "check_stock",
    description: "Units of a product (by SKU) available in a warehouse (default: the main warehouse).",
    input: z.object({ sku: z.string(), warehouse: z.enum(["main", "overflow"]).default("main") }),
    output: z.object({ sku: z.string(), warehouse: z.string(), available: z.number().int() }),
  },
  ({ sku, warehouse }) => {
    const index = PRODUCTS.findIndex((p) => p.sku === sku);
    if (index < 0) notFound("product", sku);
    return { sku, warehouse, available: warehouse === "main" ? 40 - index * 7 : index * 3 };
  },
);
