import type { ChatResponder, RecordedChat, ScriptedReply } from "../support/scriptedOllamaServer";
import { purposeOf } from "../support/scriptedOllamaServer";

// Correct plans for the example workspace's functions, written by hand and served by the
// scripted Ollama server: they produce the committed workflows and drive the CLI tests.

type Plan = { name: string; args: Record<string, unknown> }[];

export const WEATHER_PLANS: Record<string, { taskPhrase: string; steps: Plan }> = {
  city_forecast: {
    taskPhrase: "Today's weather for a city",
    steps: [
      { name: "geocode", args: { city: "input.output.city" } },
      { name: "forecast", args: { lat: "geocode.output.lat", lon: "geocode.output.lon" } },
      { name: "celsius_to_fahrenheit", args: { celsius: "forecast.output.today.highC" } },
      {
        name: "output_model",
        args: {
          city: "geocode.output.name",
          country: "geocode.output.country",
          condition: "forecast.output.today.condition",
          highC: "forecast.output.today.highC",
          highF: "celsius_to_fahrenheit.output.fahrenheit",
        },
      },
    ],
  },
  weather_headline: {
    taskPhrase: "Find the top web news article about the weather",
    steps: [
      { name: "geocode", args: { city: "input.output.city" } },
      { name: "web_search", args: { query: "Weather in {{geocode.output.name}}", limit: 1 } },
      {
        name: "output_model",
        args: {
          headline: "web_search.output.results[0].title",
          url: "web_search.output.results[0].url",
          country: "geocode.output.country",
        },
      },
    ],
  },
  email_customer_forecast: {
    taskPhrase: "Email a customer (looked up by email address)",
    steps: [
      { name: "find_customer", args: { email: "input.output.email" } },
      { name: "geocode", args: { city: "find_customer.output.customer.city" } },
      { name: "forecast", args: { lat: "geocode.output.lat", lon: "geocode.output.lon" } },
      {
        name: "compose_email",
        args: {
          to: "find_customer.output.customer.email",
          subject: "Weather in {{geocode.output.name}} today",
          message:
            "Dear {{find_customer.output.customer.name}}, today in {{geocode.output.name}}: {{forecast.output.today.condition}}, high {{forecast.output.today.highC}} °C.",
        },
      },
      {
        name: "send_email",
        args: {
          to: "compose_email.output.to",
          subject: "compose_email.output.subject",
          body: "compose_email.output.body",
        },
      },
      {
        name: "output_model",
        args: {
          messageId: "send_email.output.messageId",
          to: "compose_email.output.to",
          subject: "compose_email.output.subject",
        },
      },
    ],
  },
};

function functionOf(request: RecordedChat): string | undefined {
  const text = request.messages.map((m) => m.content).join("\n");
  return Object.keys(WEATHER_PLANS).find((name) => text.includes(WEATHER_PLANS[name]!.taskPhrase));
}

/** A scripted LLM that approves every check and answers each plan request with the right plan. */
export function weatherPlanner(): ChatResponder {
  return (request): ScriptedReply => {
    const purpose = purposeOf(request);
    if (purpose === "check")
      return {
        json: { justification: "Every output field comes from a tool whose purpose matches it.", decision: true },
      };
    const name = functionOf(request);
    if (purpose === "plan" && name) return { json: { steps: WEATHER_PLANS[name]!.steps } };
    return { status: 500, error: `weather planner: cannot answer a '${purpose}' request${name ? ` for ${name}` : ""}` };
  };
}
