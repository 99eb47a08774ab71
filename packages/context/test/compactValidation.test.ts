import Ajv from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import { compactTool } from '../src';
import { SCHEMA_FIXTURES } from './schemaFixtures';

// What a client does: honour `$schema`, else assume 2020-12 (the MCP default dialect).
function validator(schema: unknown): (data: unknown) => boolean {
  const options = { strict: false, validateFormats: false };
  const dialect = (schema as { $schema?: string }).$schema ?? '';
  const ajv = dialect.includes('draft-07') ? new Ajv(options) : new Ajv2020(options);
  const validate = ajv.compile(schema as object);
  return (data) => validate(data) as boolean;
}

describe('compactTool keeps validation identical', () => {
  for (const [label, { tool, valid, invalid }] of Object.entries(SCHEMA_FIXTURES)) {
    it(label, () => {
      const compacted = compactTool(tool, { maxDescriptionLength: 20 });
      expect(JSON.stringify(compacted).length).toBeLessThanOrEqual(JSON.stringify(tool).length);
      const original = validator(tool.inputSchema);
      const compact = validator(compacted.inputSchema);
      for (const sample of valid) expect([original(sample), compact(sample)]).toEqual([true, true]);
      for (const sample of invalid) expect([original(sample), compact(sample)]).toEqual([false, false]);
      if (tool.outputSchema) expect(compacted.outputSchema).toBeDefined();
    });
  }
});
