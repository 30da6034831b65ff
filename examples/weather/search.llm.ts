import { tool } from "llm-function";
import { z } from "zod";

// An offline "web": a bundled corpus searched by word overlap, so results are stable.
const CORPUS = [
  {
    title: "Weather in Paris: mild June days ahead",
    url: "https://news.example.com/paris-june",
    text: "weather paris france forecast june mild showers",
  },
  {
    title: "Weather in Oslo: long light evenings",
    url: "https://news.example.com/oslo-light",
    text: "weather oslo norway forecast summer light cool",
  },
  {
    title: "Weather in Lima: grey skies of the garúa season",
    url: "https://news.example.com/lima-garua",
    text: "weather lima peru forecast garua fog grey",
  },
  {
    title: "Weather in Tokyo: rainy season arrives",
    url: "https://news.example.com/tokyo-tsuyu",
    text: "weather tokyo japan forecast rain tsuyu humid",
  },
  {
    title: "Weather in Nairobi: cool dry season",
    url: "https://news.example.com/nairobi-dry",
    text: "weather nairobi kenya forecast dry cool",
  },
  {
    title: "Weather in Denver: afternoon thunderstorms",
    url: "https://news.example.com/denver-storms",
    text: "weather denver colorado united states forecast storms",
  },
  {
    title: "How weather forecasts are made",
    url: "https://science.example.com/forecasts",
    text: "weather forecast models science",
  },
];

export const webSearch = tool(
  {
    name: "web_search",
    description: "Search the web for a text query; returns the best matching pages (title, url, snippet), best first.",
    input: z.object({ query: z.string(), limit: z.number().int().min(1).max(10).default(3) }),
    output: z.object({ results: z.array(z.object({ title: z.string(), url: z.string(), snippet: z.string() })) }),
    tags: ["search"],
  },
  ({ query, limit }) => {
    const words = query.toLowerCase().split(/\W+/).filter(Boolean);
    const scored = CORPUS.map((page, index) => ({
      page,
      index,
      score: words.filter((w) => page.text.includes(w) || page.title.toLowerCase().includes(w)).length,
    }))
      .filter((s) => s.score > 0)
      .sort((a, b) => b.score - a.score || a.index - b.index);
    return {
      results: scored.slice(0, limit).map(({ page }) => ({ title: page.title, url: page.url, snippet: page.text })),
    };
  },
);
