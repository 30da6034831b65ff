import { llmFunction } from "llm-function";
import { z } from "zod";

// Five tasks no tool of the suite can do. A good planner refuses them at the feasibility check;
// `expectInfeasible` makes `llmfn eval` count that refusal as a success.

export const updateCustomerEmail = llmFunction({
  name: "update_customer_email",
  description: "Change a customer's email address in the customer database and return the updated customer record.",
  input: z.object({ customerId: z.string(), newEmail: z.string() }),
  output: z.object({ id: z.string(), email: z.string(), updatedAt: z.string() }),
  expectInfeasible: true,
});

export const receiptText = llmFunction({
  name: "receipt_text",
  description:
    "Read the printed text of a photographed paper receipt (optical character recognition) and return it with the total amount printed on it.",
  input: z.object({ imageBase64: z.string() }),
  output: z.object({ text: z.string(), total: z.number() }),
  expectInfeasible: true,
});

export const productEmbedding = llmFunction({
  name: "product_embedding",
  description: "Compute a 384-dimension semantic embedding vector of a product's description for similarity search.",
  input: z.object({ sku: z.string() }),
  output: z.object({ vector: z.array(z.number()) }),
  expectInfeasible: true,
});

export const contractRisks = llmFunction({
  name: "contract_risks",
  description: "Analyse a supplier contract's legal text and list its risky clauses with a severity for each.",
  input: z.object({ contractText: z.string() }),
  output: z.object({ clauses: z.array(z.object({ clause: z.string(), severity: z.enum(["low", "medium", "high"]) })) }),
  expectInfeasible: true,
});

export const payInBitcoin = llmFunction({
  name: "pay_in_bitcoin",
  description:
    "Transfer an amount of bitcoin from the shop's wallet to a customer's wallet address and return the blockchain transaction id.",
  input: z.object({ walletAddress: z.string(), amountBtc: z.number() }),
  output: z.object({ transactionId: z.string() }),
  expectInfeasible: true,
});
