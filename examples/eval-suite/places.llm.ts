import { tool } from "llm-function";
import { z } from "zod";

interface City {
  name: string;
  country: string;
  lat: number;
  lon: number;
  timezone: string;
  /** Fixed offset from UTC in hours (the suite ignores daylight saving time). */
  utcOffset: number;
}

const CITIES: City[] = [
  { name: "London", country: "United Kingdom", lat: 51.5074, lon: -0.1278, timezone: "Europe/London", utcOffset: 0 },
  {
    name: "New York",
    country: "United States",
    lat: 40.7128,
    lon: -74.006,
    timezone: "America/New_York",
    utcOffset: -5,
  },
  { name: "Oslo", country: "Norway", lat: 59.9139, lon: 10.7522, timezone: "Europe/Oslo", utcOffset: 1 },
  { name: "Vienna", country: "Austria", lat: 48.2082, lon: 16.3738, timezone: "Europe/Vienna", utcOffset: 1 },
  { name: "Paris", country: "France", lat: 48.8566, lon: 2.3522, timezone: "Europe/Paris", utcOffset: 1 },
  { name: "Berlin", country: "Germany", lat: 52.52, lon: 13.405, timezone: "Europe/Berlin", utcOffset: 1 },
  { name: "Tokyo", country: "Japan", lat: 35.6762, lon: 139.6503, timezone: "Asia/Tokyo", utcOffset: 9 },
  { name: "Lima", country: "Peru", lat: -12.0464, lon: -77.0428, timezone: "America/Lima", utcOffset: -5 },
];

const COUNTRIES: Record<string, { code: string; capital: string; currency: string; languages: string[] }> = {
  "United Kingdom": { code: "GB", capital: "London", currency: "GBP", languages: ["English"] },
  "United States": { code: "US", capital: "Washington", currency: "USD", languages: ["English"] },
  Norway: { code: "NO", capital: "Oslo", currency: "NOK", languages: ["Norwegian", "Sami"] },
  Austria: { code: "AT", capital: "Vienna", currency: "EUR", languages: ["German"] },
  France: { code: "FR", capital: "Paris", currency: "EUR", languages: ["French"] },
  Germany: { code: "DE", capital: "Berlin", currency: "EUR", languages: ["German"] },
  Japan: { code: "JP", capital: "Tokyo", currency: "JPY", languages: ["Japanese"] },
  Peru: { code: "PE", capital: "Lima", currency: "PEN", languages: ["Spanish", "Quechua"] },
};

export const geocode = tool(
  {
    name: "geocode",
    description: "Find a city by name: its canonical name, country, coordinates and time zone.",
    input: z.object({ city: z.string() }),
    output: z.object({ name: z.string(), country: z.string(), lat: z.number(), lon: z.number(), timezone: z.string() }),
  },
  ({ city }) => {
    const found = CITIES.find((c) => c.name.toLowerCase() === city.trim().toLowerCase());
    if (!found) throw new Error(`Unknown city ${city}.`);
    return { name: found.name, country: found.country, lat: found.lat, lon: found.lon, timezone: found.timezone };
  },
);

export const distanceKm = tool(
  {
    name: "distance_km",
    description: "Great-circle distance in whole kilometres between two points given by latitude and longitude.",
    input: z.object({ fromLat: z.number(), fromLon: z.number(), toLat: z.number(), toLon: z.number() }),
    output: z.object({ km: z.number().int() }),
  },
  ({ fromLat, fromLon, toLat, toLon }) => {
    const rad = (deg: number) => (deg * Math.PI) / 180;
    const a =
      Math.sin(rad(toLat - fromLat) / 2) ** 2 +
      Math.cos(rad(fromLat)) * Math.cos(rad(toLat)) * Math.sin(rad(toLon - fromLon) / 2) ** 2;
    return { km: Math.round(2 * 6371 * Math.asin(Math.sqrt(a))) };
  },
);

export const countryInfo = tool(
  {
    name: "country_info",
    description:
      "Facts about a country given by name: ISO code, capital, currency and official languages (main language first).",
    input: z.object({ country: z.string() }),
    output: z.object({ code: z.string(), capital: z.string(), currency: z.string(), languages: z.array(z.string()) }),
  },
  ({ country }) => {
    const info = COUNTRIES[country];
    if (!info) throw new Error(`Unknown country ${country}.`);
    return info;
  },
);

export const localTime = tool(
  {
    name: "local_time",
    description:
      "Convert a UTC time (ISO 8601, e.g. 2026-03-02T12:00:00Z) to the local wall-clock time in a time zone.",
    input: z.object({ timezone: z.string().describe("IANA time zone, e.g. Europe/Paris"), utc: z.string() }),
    output: z.object({ local: z.string().describe("YYYY-MM-DDTHH:MM"), offsetHours: z.number() }),
  },
  ({ timezone, utc }) => {
    const city = CITIES.find((c) => c.timezone === timezone);
    if (!city) throw new Error(`Unknown time zone ${timezone}.`);
    const at = new Date(utc);
    if (Number.isNaN(at.getTime())) throw new Error(`Not an ISO time: ${utc}.`);
    const local = new Date(at.getTime() + city.utcOffset * 3_600_000).toISOString().slice(0, 16);
    return { local, offsetHours: city.utcOffset };
  },
);
