import { tool } from "llm-function";
import { z } from "zod";

// A built-in gazetteer: the example works offline and always answers the same.
const PLACES: Record<string, { name: string; country: string; lat: number; lon: number; timezone: string }> = {
  paris: { name: "Paris", country: "France", lat: 48.8566, lon: 2.3522, timezone: "Europe/Paris" },
  oslo: { name: "Oslo", country: "Norway", lat: 59.9139, lon: 10.7522, timezone: "Europe/Oslo" },
  lima: { name: "Lima", country: "Peru", lat: -12.0464, lon: -77.0428, timezone: "America/Lima" },
  tokyo: { name: "Tokyo", country: "Japan", lat: 35.6762, lon: 139.6503, timezone: "Asia/Tokyo" },
  nairobi: { name: "Nairobi", country: "Kenya", lat: -1.2921, lon: 36.8219, timezone: "Africa/Nairobi" },
  denver: { name: "Denver", country: "United States", lat: 39.7392, lon: -104.9903, timezone: "America/Denver" },
};

export const geocode = tool(
  {
    name: "geocode",
    description: "Find a city by name: its canonical name, country, coordinates (latitude, longitude) and time zone.",
    input: z.object({ city: z.string().describe("City name, e.g. Paris") }),
    output: z.object({
      name: z.string(),
      country: z.string(),
      lat: z.number(),
      lon: z.number(),
      timezone: z.string(),
    }),
    tags: ["geo"],
  },
  ({ city }) => {
    const place = PLACES[city.trim().toLowerCase()];
    if (!place)
      throw new Error(
        `Unknown city "${city}". Known cities: ${Object.values(PLACES)
          .map((p) => p.name)
          .join(", ")}.`,
      );
    return place;
  },
);
