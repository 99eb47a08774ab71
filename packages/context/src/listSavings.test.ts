import { generateTools } from '../test/toolFixtures';
import { compactTool } from './compactTool';
import { countTokens } from './countTokens';
import { listSavings } from './listSavings';
import { META_TOOLS } from './metaTools';

describe('listSavings', () => {
  const full = generateTools(300);

  it('reports the difference between the full and the sent list', () => {
    const compacted = full.map((tool) => compactTool(tool, { maxDescriptionLength: 80 }));
    const savings = listSavings(full, compacted);
    expect(savings.fullTokens).toBe(countTokens(full));
    expect(savings.sentTokens).toBe(countTokens(compacted));
    expect(savings.saved).toBe(savings.fullTokens - savings.sentTokens);
    // Compaction alone saves at least a third on FastMCP-style schemas.
    expect(savings.sentTokens).toBeLessThan(savings.fullTokens * (2 / 3));
  });

  it('saves almost everything with the meta-tools', () => {
    const savings = listSavings(full, [...META_TOOLS]);
    expect(savings.sentTokens).toBeLessThan(500);
    expect(savings.saved).toBeGreaterThan(0.95 * savings.fullTokens);
  });

  it('can be negative', () => {
    expect(listSavings([], [...META_TOOLS]).saved).toBeLessThan(0);
  });
});
