/** Reading one replica's Prometheus text directly (not through the balancer). */

/** Sum of every sample of `name` whose labels include `labels`. */
export function sumSamples(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const sampleLabels = match[2] ?? '';
    if (Object.entries(labels).every(([key, value]) => sampleLabels.includes(`${key}="${value}"`)))
      sum += Number(match[3]);
  }
  return sum;
}

/** GETs `url` (a /metrics) and sums `name` over the samples matching `labels`. */
export async function scrape(url: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const res = await fetch(url);
  return sumSamples(await res.text(), name, labels);
}
