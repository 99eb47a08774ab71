import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES } from './errorCodes';

// docs/API_REFERENCE.md must list every error code exactly as the code defines it.
describe('docs/API_REFERENCE.md error table', () => {
  const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'API_REFERENCE.md'), 'utf8');
  const rows = new Map(
    doc
      .split('\n')
      .filter((line) => /^\| `-3\d{4}` \|/.test(line))
      .map((line) => {
        const cells = line
          .split('|')
          .slice(1, -1)
          .map((c) => c.trim());
        return [cells[1]!, cells] as const;
      }),
  );

  it.each(Object.entries(ERROR_CODES))('documents %s', (name, info) => {
    expect(rows.get(name)).toEqual([
      `\`${info.code}\``,
      name,
      String(info.httpStatus),
      info.fault,
      info.retryable ? 'yes' : 'no',
      info.meaning,
    ]);
  });

  it('lists no code the gateway does not define', () => {
    expect([...rows.keys()].sort()).toEqual(Object.keys(ERROR_CODES).sort());
  });
});
