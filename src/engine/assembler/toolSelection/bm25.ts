/** Okapi BM25 over small documents (tool texts); k1 and b are the usual values. */
const K1 = 1.2;
const B = 0.75;

export interface Bm25Index {
  /** The score of every document for a query, in document order. */
  scores(queryTerms: readonly string[]): number[];
}

export function bm25Index(documents: readonly (readonly string[])[]): Bm25Index {
  const frequencies = documents.map((terms) => {
    const counts = new Map<string, number>();
    for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
    return counts;
  });
  const documentFrequency = new Map<string, number>();
  for (const counts of frequencies)
    for (const term of counts.keys()) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  const count = documents.length;
  const averageLength = documents.reduce((total, terms) => total + terms.length, 0) / Math.max(1, count);
  const idf = (term: string) => {
    const df = documentFrequency.get(term) ?? 0;
    return Math.log(1 + (count - df + 0.5) / (df + 0.5));
  };
  return {
    scores(queryTerms) {
      const unique = [...new Set(queryTerms)];
      return frequencies.map((counts, index) => {
        const length = documents[index]?.length ?? 0;
        let score = 0;
        for (const term of unique) {
          const tf = counts.get(term) ?? 0;
          if (tf === 0) continue;
          score += (idf(term) * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * length) / averageLength));
        }
        return score;
      });
    },
  };
}
