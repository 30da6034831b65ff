import { tool } from "llm-function";
import { z } from "zod";

const CONDITIONS = ["sunny", "partly cloudy", "cloudy", "light rain", "showers", "windy", "snow"];

/** Deterministic "weather" from the coordinates and the day offset: same place, same forecast. */
function dayAt(lat: number, lon: number, offset: number) {
  const seed = Math.abs(Math.round(lat * 100) * 31 + Math.round(lon * 100) * 17 + offset * 7);
  const base = Math.round(30 - Math.abs(lat) * 0.3);
  const highC = base + (seed % 6) - 2;
  const condition = CONDITIONS[(seed >> 3) % CONDITIONS.length] ?? "sunny";
  return {
    date: `2025-06-${String(offset + 1).padStart(2, "0")}`,
    highC,
    lowC: highC - 6 - (seed % 4),
    condition: highC > 2 && condition === "snow" ? "light rain" : condition,
  };
}

const day = z.object({ date: z.string(), highC: z.number(), lowC: z.number(), condition: z.string() });

export const forecast = tool(
  {
    name: "forecast",
    description: "Weather forecast at coordinates: today's forecast and the following days (temperatures in Celsius).",
    input: z.object({ lat: z.number(), lon: z.number(), days: z.number().int().min(1).max(7).default(3) }),
    output: z.object({ today: day, days: z.array(day) }),
    tags: ["weather"],
  },
  ({ lat, lon, days }) => {
    const all = Array.from({ length: days }, (_, i) => dayAt(lat, lon, i));
    return { today: all[0]!, days: all };
  },
);

export const celsiusToFahrenheit = tool(
  {
    name: "celsius_to_fahrenheit",
    description: "Convert a temperature from degrees Celsius to degrees Fahrenheit (rounded to one decimal).",
    input: z.object({ celsius: z.number() }),
    output: z.object({ fahrenheit: z.number() }),
    tags: ["units"],
  },
  ({ celsius }) => ({ fahrenheit: Math.round((celsius * 9 + 160) * 2) / 10 }),
);
