import { z } from "zod";
import { llmFunction } from "../../src/engine/llmFunction";
import { tool } from "../../src/engine/tools/tool";
import type { JsonValue } from "../../src/engine/jsonSchema";

// A small deterministic toolset and a 5-step task over it, shared by engine tests and the benchmark.

const CITIES: Record<string, { lat: number; lon: number; tempC: number; condition: string }> = {
  Paris: { lat: 48.85, lon: 2.35, tempC: 18, condition: "cloudy" },
  Oslo: { lat: 59.91, lon: 10.75, tempC: 5, condition: "snow" },
  Lima: { lat: -12.05, lon: -77.04, tempC: 24, condition: "sunny" },
};

export const geocode = tool(
  {
    name: "geocode",
    description: "Find the coordinates of a city by name.",
    input: z.object({ city: z.string() }),
    output: z.object({ lat: z.number(), lon: z.number(), name: z.string() }),
  },
  ({ city }) => {
    const found = CITIES[city];
    if (!found) throw new Error(`unknown city ${city}`);
    return { lat: found.lat, lon: found.lon, name: city };
  },
);

export const forecast = tool(
  {
    name: "forecast",
    description: "Today's weather forecast at coordinates: temperature in Celsius and the sky condition.",
    input: z.object({ lat: z.number(), lon: z.number() }),
    output: z.object({
      tempC: z.number(),
      condition: z.string(),
      hours: z.array(z.object({ hour: z.number(), tempC: z.number() })),
    }),
  },
  ({ lat, lon }) => {
    const found = Object.values(CITIES).find((c) => c.lat === lat && c.lon === lon);
    if (!found) throw new Error(`no forecast for ${lat},${lon}`);
    return {
      tempC: found.tempC,
      condition: found.condition,
      hours: [0, 12].map((hour) => ({ hour, tempC: found.tempC + hour / 6 })),
    };
  },
);

export const toFahrenheit = tool(
  {
    name: "to_fahrenheit",
    description: "Convert a temperature from Celsius to Fahrenheit.",
    input: z.object({ celsius: z.number() }),
    output: z.object({ fahrenheit: z.number() }),
  },
  ({ celsius }) => ({ fahrenheit: Math.round((celsius * 9) / 5 + 32) }),
);

export const formatReport = tool(
  {
    name: "format_report",
    description: "Write a one-line weather report for a city.",
    input: z.object({ city: z.string(), fahrenheit: z.number(), condition: z.string() }),
    output: z.object({ text: z.string() }),
  },
  ({ city, fahrenheit, condition }) => ({ text: `${city}: ${fahrenheit}°F, ${condition}` }),
);

export const sendEmail = tool(
  {
    name: "send_email",
    description: "Send an email and return its message id.",
    input: z.object({ to: z.string().email(), subject: z.string(), body: z.string() }),
    output: z.object({ messageId: z.string(), accepted: z.boolean() }),
  },
  ({ to, subject }) => ({ messageId: `msg-${to.length}-${subject.length}`, accepted: true }),
);

export const weatherTools = [geocode, forecast, toFahrenheit, formatReport, sendEmail];

export const weatherInput = z.object({ city: z.string(), email: z.string().email() });
export const weatherOutput = z.object({ messageId: z.string(), fahrenheit: z.number(), summary: z.string() });

export const emailWeatherReport = llmFunction({
  name: "email_weather_report",
  description:
    "Email today's weather report (in Fahrenheit) for the city to the address, and return the message id, the temperature and the report text.",
  input: weatherInput,
  output: weatherOutput,
  tests: [
    {
      input: { city: "Paris", email: "a@example.com" },
      expected: { messageId: "msg-13-16", fahrenheit: 64, summary: "Paris: 64°F, cloudy" },
    },
    {
      input: { city: "Oslo", email: "bob@example.com" },
      expected: { messageId: "msg-15-15", fahrenheit: 41, summary: "Oslo: 41°F, snow" },
    },
  ],
});

/** The plan a competent model gives for emailWeatherReport: five tool steps and the output. */
export function correctPlan(): { steps: { name: string; args: Record<string, JsonValue> }[] } {
  return {
    steps: [
      { name: "geocode", args: { city: "input.output.city" } },
      { name: "forecast", args: { lat: "geocode.output.lat", lon: "source: geocode.output.lon" } },
      { name: "to_fahrenheit", args: { celsius: "{{forecast.output.tempC}}" } },
      {
        name: "format_report",
        args: {
          city: "1.output.name",
          fahrenheit: "to_fahrenheit.output.fahrenheit",
          condition: "forecast.output.condition",
        },
      },
      {
        name: "send_email",
        args: {
          to: "input.output.email",
          subject: "Weather in {{input.output.city}}",
          body: "format_report.output.text",
        },
      },
      {
        name: "output_model",
        args: {
          messageId: "send_email.output.messageId",
          fahrenheit: "3.output.fahrenheit",
          summary: "format_report.output.text",
        },
      },
    ],
  };
}

export const feasible = {
  justification: "geocode, forecast, conversion, formatting and email cover every output field.",
  decision: true,
};
