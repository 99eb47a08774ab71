/** Reading a gateway's `/metrics` in tests. */

/** The Prometheus exposition a gateway at `url` serves. */
export async function scrape(url: string): Promise<string> {
  return (await fetch(`${url}/metrics`)).text();
}

/** The value of one sample, e.g. `sampleValue(body, 'only1mcp_x{a="b"}')`; undefined when absent. */
export function sampleValue(body: string, sample: string): number | undefined {
  const line = body.split('\n').find((l) => l.startsWith(`${sample} `));
  return line === undefined ? undefined : Number(line.slice(sample.length + 1));
}
