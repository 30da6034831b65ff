import { z } from "zod";
import { llmFunction } from "../../src/engine/llmFunction";

/** A function the synthetic catalog plans in three steps, none named by its description. */
export const cityHighF = llmFunction({
  name: "city_high_f",
  description: "Today's high temperature in a city, in Fahrenheit.",
  input: z.object({ city: z.string() }),
  output: z.object({ highF: z.number() }),
  tests: [{ input: { city: "Paris" }, expected: { highF: 1 } }],
});

/** Its right plan over the synthetic catalog. */
export const cityHighFPlan: { steps: { name: string; args: Record<string, string> }[] } = {
  steps: [
    { name: "geocode_city", args: { city: "input.output.city" } },
    { name: "weather_forecast", args: { lat: "geocode_city.output.lat", lon: "geocode_city.output.lon" } },
    { name: "celsius_to_fahrenheit", args: { celsius: "weather_forecast.output.highC" } },
    { name: "output_model", args: { highF: "celsius_to_fahrenheit.output.fahrenheit" } },
  ],
};
