/**
 * A current-protocol (2026-07-28) backend, served in-process over Streamable HTTP with the SDK v2
 * `createMcpHandler`: for testing what the gateway does with a backend that asks for input the
 * 2026 way, by returning `input_required` instead of sending requests to the client.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { Server, createMcpHandler, inputRequired, inputResponse } from '@modelcontextprotocol/server';

/** The input schema of a tool with one string argument. */
function stringArgument(name: string): { type: 'object'; properties: Record<string, { type: string }> } {
  return { type: 'object', properties: { [name]: { type: 'string' } } };
}

/** A running modern fixture. */
export interface ModernFixture {
  /** Its `/mcp` URL. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the fixture. Tools: `confirm {question}` asks the client (elicitation, one round) and
 * answers `confirmed: <action> <answer> (state <requestState>)`; `echo {message}` answers
 * `echo: <message>`.
 */
export async function startModernFixture(): Promise<ModernFixture> {
  const handler = createMcpHandler(
    () => {
      const server = new Server({ name: 'modern-fixture', version: '1.0.0' }, { capabilities: { tools: {} } });
      server.setRequestHandler('tools/list', () => ({
        tools: [
          { name: 'confirm', description: 'Asks the client a question.', inputSchema: stringArgument('question') },
          { name: 'echo', description: 'Returns its message.', inputSchema: stringArgument('message') },
        ],
      }));
      server.setRequestHandler('tools/call', (request, ctx) => {
        const args = (request.params.arguments ?? {}) as { question?: string; message?: string };
        if (request.params.name === 'echo') return { content: [{ type: 'text', text: `echo: ${args.message}` }] };
        const answer = inputResponse(ctx.mcpReq.inputResponses, 'q');
        if (answer.kind !== 'elicit') {
          return inputRequired({
            inputRequests: {
              q: inputRequired.elicit({
                message: args.question ?? 'Sure?',
                requestedSchema: { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] },
              }),
            },
            requestState: 'round-1',
          });
        }
        const content = (answer.content ?? {}) as { answer?: string };
        return {
          content: [
            {
              type: 'text',
              text: `confirmed: ${answer.action} ${content.answer ?? ''} (state ${String(ctx.mcpReq.requestState())})`,
            },
          ],
        };
      });
      return server;
    },
    { legacy: 'reject' },
  );
  const http = createServer(toNodeHandler(handler));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    async stop() {
      await handler.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
