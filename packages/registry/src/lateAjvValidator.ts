/**
 * The SDK's JSON Schema validator (ajv), loaded the first time a schema is checked. The SDK makes
 * one for every `Client` and `Server` it constructs, and its Node shim loads ajv with the SDK
 * itself: ~0.9 MiB of the gateway's heap for the copies the SDK packages bundle (docs/BENCHMARKS.md,
 * seventeenth pass), for checks the gateway seldom makes, if ever. A client checks a tool's result
 * against its `outputSchema` only in `callTool()`, which the gateway does not use (results pass
 * through); a server checks a client's answer in `elicitInput()`, which the gateway uses only for
 * an elicitation a backend sends outside any call (sessionLink.ts; during a call the request goes
 * out on the call's stream and the backend checks the answer). So the gateway's clients and
 * servers get this one, and the bundle loads the shims' ajv late too (tooling/bundle: `STUBBED`).
 *
 * One per client or server, as the SDK's default is: ajv keeps every schema it compiles.
 */
import type { JsonSchemaType, JsonSchemaValidator, jsonSchemaValidator } from '@modelcontextprotocol/client';
import type * as AjvValidators from '@modelcontextprotocol/client/validators/ajv';

export class LateAjvValidator implements jsonSchemaValidator {
  private ajv?: jsonSchemaValidator;

  getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
    if (!this.ajv) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { AjvJsonSchemaValidator } = require('@modelcontextprotocol/client/validators/ajv') as typeof AjvValidators;
      this.ajv = new AjvJsonSchemaValidator();
    }
    return this.ajv.getValidator<T>(schema);
  }
}
