import { llmFunction } from "llm-function";
import { z } from "zod";

// LLM functions: a contract and a task, no body. `llmfn plan` assembles a workflow of the
// tools in this folder for each; `llmfn run` runs the stored workflow without any LLM.

export const cityForecast = llmFunction({
  name: "city_forecast",
  description:
    "Today's weather for a city: the city's canonical name and country, the sky condition, and the day's high temperature in both Celsius and Fahrenheit.",
  input: z.object({ city: z.string().describe("City name") }),
  output: z.object({
    city: z.string(),
    country: z.string(),
    condition: z.string(),
    highC: z.number(),
    highF: z.number(),
  }),
  tests: [
    {
      input: { city: "Paris" },
      expected: { city: "Paris", country: "France", condition: "sunny", highC: 14, highF: 57.2 },
    },
    {
      input: { city: "oslo" },
      expected: { city: "Oslo", country: "Norway", condition: "windy", highC: 12, highF: 53.6 },
    },
    {
      input: { city: "Lima" },
      expected: { city: "Lima", country: "Peru", condition: "windy", highC: 29, highF: 84.2 },
    },
  ],
});

export const weatherHeadline = llmFunction({
  name: "weather_headline",
  description:
    "Find the top web news article about the weather in a city: search for \"Weather in <city>\" using the city's canonical name, and return the article's title and url with the city's country.",
  input: z.object({ city: z.string() }),
  output: z.object({ headline: z.string(), url: z.string(), country: z.string() }),
  tests: [
    {
      input: { city: "tokyo" },
      expected: {
        headline: "Weather in Tokyo: rainy season arrives",
        url: "https://news.example.com/tokyo-tsuyu",
        country: "Japan",
      },
    },
    {
      input: { city: "Denver" },
      expected: {
        headline: "Weather in Denver: afternoon thunderstorms",
        url: "https://news.example.com/denver-storms",
        country: "United States",
      },
    },
  ],
});

export const emailCustomerForecast = llmFunction({
  name: "email_customer_forecast",
  description:
    "Email a customer (looked up by email address) today's weather forecast for their home city: compose a message with the sky condition and the high temperature in Celsius, send it, and return the message id, the recipient and the subject.",
  input: z.object({ email: z.string() }),
  output: z.object({ messageId: z.string(), to: z.string(), subject: z.string() }),
  tests: [
    {
      input: { email: "ada@example.com" },
      expected: { messageId: "msg-fa346965", to: "ada@example.com", subject: "Weather in Paris today" },
    },
    {
      input: { email: "katherine@example.com" },
      expected: { messageId: "msg-4bdd233d", to: "katherine@example.com", subject: "Weather in Oslo today" },
    },
  ],
});
