/**
 * Checks shared by the gateway tests that put the reference server (server-everything) behind a
 * front: the same calls through every front and either SDK generation's client.
 */

/** What both SDK generations' clients offer; enough to drive them through the same checks. */
export interface AnyClient {
  callTool(params: { name: string; arguments?: Record<string, unknown> }): Promise<unknown>;
  listResources(): Promise<{ resources: { uri: string }[] }>;
  readResource(params: { uri: string }): Promise<{ contents: { uri: string }[] }>;
  getPrompt(params: { name: string }): Promise<{ messages: { content: unknown }[] }>;
  getServerCapabilities(): unknown;
  complete(params: {
    ref: { type: 'ref/prompt'; name: string };
    argument: { name: string; value: string };
  }): Promise<{ completion: { values: string[] } }>;
}

/** Lists and reads a resource and gets a prompt: the same calls through either SDK generation's client. */
export async function expectResourcesAndPrompts(client: AnyClient): Promise<void> {
  const { resources } = await client.listResources();
  expect(resources.length).toBeGreaterThan(0);
  const { contents } = await client.readResource({ uri: resources[0]!.uri });
  expect(contents[0]!.uri).toBe(resources[0]!.uri);
  const prompt = await client.getPrompt({ name: 'everything__simple-prompt' });
  expect(prompt.messages[0]!.content).toEqual({ type: 'text', text: 'This is a simple prompt without arguments.' });
  // The backend offers completions, so the gateway does too, and routes them by prompt name.
  expect(client.getServerCapabilities()).toMatchObject({ tools: { listChanged: true }, completions: {} });
  const { completion } = await client.complete({
    ref: { type: 'ref/prompt', name: 'everything__completable-prompt' },
    argument: { name: 'department', value: 'E' },
  });
  expect(completion.values).toEqual(expect.arrayContaining(['Engineering']));
}
