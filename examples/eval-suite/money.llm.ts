import { tool } from "llm-function";
import { z } from "zod";

/** Units of each currency per euro (fixed rates: the suite must be deterministic). */
const PER_EURO: Record<string, number> = { EUR: 1, USD: 1.08, GBP: 0.85, NOK: 11.5, JPY: 162, PEN: 4.05 };
/** VAT or sales tax in percent. */
const TAX_PERCENT: Record<string, number> = {
  "United Kingdom": 20,
  "United States": 7,
  Norway: 25,
  Austria: 20,
  France: 20,
  Germany: 19,
  Japan: 10,
  Peru: 18,
};

const round2 = (value: number) => Math.round(value * 100) / 100;
const currency = z.string().describe("ISO 4217 code such as EUR, USD, GBP");

function rateOf(code: string): number {
  const rate = PER_EURO[code.toUpperCase()];
  if (rate === undefined) throw new Error(`Unknown currency ${code}; known: ${Object.keys(PER_EURO).join(", ")}.`);
  return rate;
}

export const convertCurrency = tool(
  {
    name: "convert_currency",
    description: "Convert an amount of money from one currency to another at today's rate, rounded to cents.",
    input: z.object({ amount: z.number(), from: currency, to: currency }),
    output: z.object({ amount: z.number(), currency: z.string(), rate: z.number() }),
  },
  ({ amount, from, to }) => {
    const rate = rateOf(to) / rateOf(from);
    return { amount: round2(amount * rate), currency: to.toUpperCase(), rate: Math.round(rate * 1e6) / 1e6 };
  },
);

export const centsToUnits = tool(
  {
    name: "cents_to_units",
    description: "Turn an amount in cents (minor units) into whole currency units, e.g. 4999 into 49.99.",
    input: z.object({ cents: z.number().int() }),
    output: z.object({ units: z.number() }),
  },
  ({ cents }) => ({ units: cents / 100 }),
);

export const applyDiscount = tool(
  {
    name: "apply_discount",
    description:
      "Take a percentage off an amount of money; returns the discounted amount and the money saved, rounded to cents.",
    input: z.object({ amount: z.number(), percent: z.number().min(0).max(100) }),
    output: z.object({ amount: z.number(), saved: z.number() }),
  },
  ({ amount, percent }) => {
    const saved = round2((amount * percent) / 100);
    return { amount: round2(amount - saved), saved };
  },
);

export const addTax = tool(
  {
    name: "add_tax",
    description:
      "Add the sales tax (VAT) of a country to a net amount: the tax rate in percent, the tax and the gross total.",
    input: z.object({ amount: z.number(), country: z.string().describe("Country name, e.g. France") }),
    output: z.object({ total: z.number(), tax: z.number(), ratePercent: z.number() }),
  },
  ({ amount, country }) => {
    const ratePercent = TAX_PERCENT[country];
    if (ratePercent === undefined) throw new Error(`No tax rate for ${country}.`);
    const tax = round2((amount * ratePercent) / 100);
    return { total: round2(amount + tax), tax, ratePercent };
  },
);

export const formatMoney = tool(
  {
    name: "format_money",
    description: "Write an amount of money as display text with two decimals and the currency code, e.g. '49.99 EUR'.",
    input: z.object({ amount: z.number(), currency }),
    output: z.object({ text: z.string() }),
  },
  ({ amount, currency: code }) => ({ text: `${amount.toFixed(2)} ${code.toUpperCase()}` }),
);
