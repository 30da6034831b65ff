import { tool } from "llm-function";
import { z } from "zod";

// A tiny customer table and an in-memory outbox: nothing leaves the machine.
const CUSTOMERS = [
  { id: "c-101", name: "Ada Lovelace", email: "ada@example.com", city: "Paris", tier: "gold" },
  { id: "c-102", name: "Grace Hopper", email: "grace@example.com", city: "Denver", tier: "silver" },
  { id: "c-103", name: "Katherine Johnson", email: "katherine@example.com", city: "Oslo", tier: "gold" },
];
const outbox: { to: string; subject: string; body: string }[] = [];

const customer = z.object({ id: z.string(), name: z.string(), email: z.string(), city: z.string(), tier: z.string() });

export const findCustomer = tool(
  {
    name: "find_customer",
    description: "Look up a customer in the customer database by email address: name, home city and tier.",
    input: z.object({ email: z.string() }),
    output: z.object({ customer }),
    tags: ["crm"],
  },
  ({ email }) => {
    const found = CUSTOMERS.find((c) => c.email === email.trim().toLowerCase());
    if (!found) throw new Error(`No customer with email ${email}.`);
    return { customer: found };
  },
);

export const composeEmail = tool(
  {
    name: "compose_email",
    description:
      "Compose an email draft from a recipient address, a subject and a message text; adds a greeting and signature.",
    input: z.object({ to: z.string(), subject: z.string(), message: z.string() }),
    output: z.object({ to: z.string(), subject: z.string(), body: z.string() }),
    tags: ["email"],
  },
  ({ to, subject, message }) => ({ to, subject, body: `Hello,\n\n${message}\n\nBest regards,\nThe Weather Desk` }),
);

export const sendEmail = tool(
  {
    name: "send_email",
    description: "Send a composed email (recipient, subject, body) and return its message id.",
    input: z.object({ to: z.string(), subject: z.string(), body: z.string() }),
    output: z.object({ messageId: z.string(), queued: z.number() }),
    tags: ["email"],
  },
  (draft) => {
    outbox.push(draft);
    let hash = 0;
    for (const char of `${draft.to}|${draft.subject}|${draft.body}`) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
    return { messageId: `msg-${hash.toString(16)}`, queued: outbox.length };
  },
);
