import { effectiveStatus, isStale, parseHealthRecord, type HealthRecord } from './healthRecord';
import { createRedisKeys } from './redisKeys';

const record: HealthRecord = { id: 'a#0', status: 'healthy', lastCheck: 1_000, checkedBy: 'gw-1' };

describe('healthRecord', () => {
  it('parses valid records and rejects malformed ones without throwing', () => {
    expect(parseHealthRecord(JSON.stringify(record))).toEqual(record);
    expect(parseHealthRecord('{not json')).toBeUndefined();
    expect(parseHealthRecord(JSON.stringify({ ...record, status: 'great' }))).toBeUndefined();
    expect(parseHealthRecord('"holder-1"')).toBeUndefined();
  });

  it('treats a stale record as unknown', () => {
    expect(isStale(record, 1_500, 500)).toBe(false);
    expect(isStale(record, 1_501, 500)).toBe(true);
    expect(isStale(record, 0, 500)).toBe(false); // from the future: clock skew, not staleness
    expect(effectiveStatus(record, 1_501, 500)).toBe('unknown');
    expect(effectiveStatus(record, 1_200, 500)).toBe('healthy');
    expect(effectiveStatus(undefined, 1_200, 500)).toBe('unknown');
  });
});

describe('createRedisKeys', () => {
  it('keeps the lease key out of the record pattern and escapes the prefix', () => {
    const keys = createRedisKeys('app[1]:');
    expect(keys.healthRecord('srv#0')).toBe('app[1]:health:record:srv#0');
    expect(keys.healthRecordPattern).toBe('app\\[1\\]:health:record:*');
    expect(keys.healthLease).toBe('app[1]:health:lease');
    expect(keys.healthChanges).toBe('app[1]:health:changes');
    expect(createRedisKeys().healthLease).toBe('only1mcp:health:lease');
  });
});
