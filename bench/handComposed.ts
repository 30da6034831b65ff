// The fairest baseline for a cached call: the five weather tools composed by hand, and the
// timing both sides share (interleaved rounds, so load hits both alike).
import type { z } from "zod";
import type { DefinedTool } from "../src/engine/tools/tool";
import {
  forecast,
  formatReport,
  geocode,
  sendEmail,
  toFahrenheit,
  weatherInput,
  weatherOutput,
} from "../test/support/weatherTools";
import { median } from "./benchStats";

export const CALLS = 2_000;
const ROUNDS = 7;
export const INPUT = { city: "Paris", email: "a@example.com" };

/** One tool call as a careful hand-written program makes it: zod on both sides, awaiting only a handler that returns a promise. */
async function callTool<I extends z.ZodType, O extends z.ZodType>(
  definition: DefinedTool<I, O>,
  args: z.input<I>,
): Promise<z.output<O>> {
  const result = definition.handler(definition.input.parse(args), {});
  return definition.output.parse(result instanceof Promise ? await result : result);
}

/** The same five tools composed by hand, validating with zod at every boundary as the runtime does. */
export async function handComposed(input: unknown): Promise<unknown> {
  const parsedInput = weatherInput.parse(input);
  const place = await callTool(geocode, { city: parsedInput.city });
  const weather = await callTool(forecast, { lat: place.lat, lon: place.lon });
  const converted = await callTool(toFahrenheit, { celsius: weather.tempC });
  const report = await callTool(formatReport, {
    city: place.name,
    fahrenheit: converted.fahrenheit,
    condition: weather.condition,
  });
  const mail = await callTool(sendEmail, {
    to: parsedInput.email,
    subject: `Weather in ${parsedInput.city}`,
    body: report.text,
  });
  return weatherOutput.parse({ messageId: mail.messageId, fahrenheit: converted.fahrenheit, summary: report.text });
}

export async function timeCalls(fn: (input: unknown) => Promise<unknown>, calls = CALLS): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < calls; i += 1) await fn(INPUT);
  return Number(process.hrtime.bigint() - started);
}

/** Median over rounds of (candidate time / baseline time), the two interleaved so load hits both alike. */
export async function medianRatio(candidate: (input: unknown) => Promise<unknown>, calls = CALLS): Promise<number> {
  await timeCalls(candidate, calls);
  await timeCalls(handComposed, calls);
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const candidateNs = await timeCalls(candidate, calls);
    const handNs = await timeCalls(handComposed, calls);
    ratios.push(candidateNs / handNs);
  }
  return median(ratios);
}
