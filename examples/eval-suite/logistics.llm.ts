import { tool } from "llm-function";
import { z } from "zod";
import { shortId } from "./ids";

const ZONES: Record<string, { zone: number; days: number }> = {
  Austria: { zone: 1, days: 2 },
  Germany: { zone: 1, days: 2 },
  France: { zone: 1, days: 3 },
  "United Kingdom": { zone: 2, days: 4 },
  Norway: { zone: 2, days: 5 },
  "United States": { zone: 3, days: 7 },
  Japan: { zone: 3, days: 9 },
  Peru: { zone: 3, days: 12 },
};
const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

export const shippingQuote = tool(
  {
    name: "shipping_quote",
    description:
      "Quote shipping a parcel of a given weight from our warehouse in Vienna to a country: carrier, cost in euro cents, days in transit.",
    input: z.object({ weightGrams: z.number().int().positive(), country: z.string() }),
    output: z.object({
      carrier: z.string(),
      costCents: z.number().int(),
      currency: z.literal("EUR"),
      days: z.number().int(),
    }),
  },
  ({ weightGrams, country }) => {
    const zone = ZONES[country];
    if (!zone) throw new Error(`We do not ship to ${country}.`);
    const carrier = weightGrams < 500 ? "PostLight" : weightGrams < 2000 ? "ParcelGo" : "FreightOne";
    const costCents = 390 * zone.zone + Math.ceil(weightGrams / 100) * 45;
    return { carrier, costCents, currency: "EUR" as const, days: zone.days + (carrier === "FreightOne" ? 2 : 0) };
  },
);

export const createShipment = tool(
  {
    name: "create_shipment",
    description: "Book a shipment of an order with a carrier; returns the tracking number.",
    input: z.object({ orderId: z.string(), carrier: z.string() }),
    output: z.object({ trackingNumber: z.string() }),
  },
  ({ orderId, carrier }) => ({ trackingNumber: shortId("TRK", orderId, carrier).toUpperCase() }),
);

export const addDays = tool(
  {
    name: "add_days",
    description: "Add a number of calendar days to a date (YYYY-MM-DD); returns the new date and its weekday.",
    input: z.object({ date: z.string(), days: z.number().int() }),
    output: z.object({ date: z.string(), weekday: z.string() }),
  },
  ({ date, days }) => {
    const start = new Date(`${date}T00:00:00Z`);
    if (Number.isNaN(start.getTime())) throw new Error(`Not a date: ${date}.`);
    const end = new Date(start.getTime() + days * 86_400_000);
    return { date: end.toISOString().slice(0, 10), weekday: WEEKDAYS[end.getUTCDay()] ?? "" };
  },
);

export const sendEmail = tool(
  {
    name: "send_email",
    description: "Send an email; returns the message id.",
    input: z.object({ to: z.string(), subject: z.string(), body: z.string() }),
    output: z.object({ messageId: z.string(), to: z.string() }),
  },
  ({ to, subject, body }) => ({ messageId: shortId("msg", to, subject, body), to }),
);

export const createTicket = tool(
  {
    name: "create_ticket",
    description:
      "Open a support ticket for a customer (by customer id) with a title and a priority; returns the ticket id and its URL.",
    input: z.object({ customerId: z.string(), title: z.string(), priority: z.enum(["low", "normal", "high"]) }),
    output: z.object({ ticketId: z.string(), url: z.string() }),
  },
  ({ customerId, title, priority }) => {
    const ticketId = shortId("T", customerId, title, priority);
    return { ticketId, url: `https://support.example.com/tickets/${ticketId}` };
  },
);
