/**
 * The encoder, loaded on first use: its tables take tens of megabytes, which a gateway that never
 * counts tokens (no context profile) should not carry.
 */
let encoder: ((text: string) => number[]) | undefined;
function encode(text: string): number[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  encoder ??= (require('gpt-tokenizer/encoding/o200k_base') as { encode: (text: string) => number[] }).encode;
  return encoder(text);
}

/**
 * The BPE encoding token counts are measured in: o200k_base, the encoding of current OpenAI models
 * (GPT-4o and later). Other vendors' tokenizers differ by a few per cent, so counts are estimates
 * for comparing what is sent, not a bill.
 */
export const TOKEN_ENCODING = 'o200k_base';

/** Number of tokens in a text, in {@link TOKEN_ENCODING}. */
export function countTextTokens(text: string): number {
  return text.length === 0 ? 0 : encode(text).length;
}

/**
 * Number of tokens in `JSON.stringify(value)` (compact, no indentation), in {@link TOKEN_ENCODING}.
 * A string counts with its quotes, since that is how it travels inside a JSON-RPC message;
 * a value JSON cannot represent (undefined, a function) counts 0.
 */
export function countTokens(value: unknown): number {
  const json = JSON.stringify(value) as string | undefined;
  return json === undefined ? 0 : countTextTokens(json);
}
