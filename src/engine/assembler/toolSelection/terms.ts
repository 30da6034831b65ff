/** Words too common in tool descriptions and tasks to tell tools apart. */
const STOPWORDS = new Set(
  "a an and are as at be by for from get give given has have in into is it its of on or the their then this to with without which what when where who will your you our one each every any all return returns".split(
    " ",
  ),
);

/** Folds plurals and common suffixes so `invoices` meets `invoice` and `converted` meets `convert`. */
function stem(word: string): string {
  if (word.length > 4 && word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (word.length > 5 && word.endsWith("ing")) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith("ed")) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith("es") && /(s|x|z|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith("s") && !word.endsWith("ss")) return word.slice(0, -1);
  return word;
}

/** The terms of a text: identifiers split at `_`, `-` and camelCase, lower-cased, stemmed, stopwords out. */
export function termsOf(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 1 && !STOPWORDS.has(word))
    .map(stem);
}

/** A field name reduced for matching across tools: `countryCode`, `country_code` and `CountryCode` meet. */
export function fieldKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/**
 * Words that name a kind of thing without its general word: a task "in US dollars" needs a
 * currency tool whose text says "currency", never "dollar". Only the query is expanded, so a
 * tool that merely mentions dollars gains nothing.
 */
const CONCEPTS: ReadonlyMap<string, readonly string[]> = new Map(
  [["currency money", "usd eur gbp jpy chf cny cad aud inr dollar euro pound sterling yen franc yuan rupee"]].flatMap(
    ([concepts, words]) => termsOf(words!).map((word) => [word, termsOf(concepts!)] as const),
  ),
);

/** The terms of a query with the general words of the concepts it names (`termsOf` forms). */
export function queryTermsOf(text: string): string[] {
  const terms = termsOf(text);
  return [...terms, ...new Set(terms.flatMap((term) => CONCEPTS.get(term) ?? []))];
}
