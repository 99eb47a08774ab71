import { LateAjvValidator } from './lateAjvValidator';

const ANSWER = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] } as const;

describe('LateAjvValidator', () => {
  it("checks values as the SDK's default validator does", () => {
    const check = new LateAjvValidator().getValidator<{ answer: string }>(ANSWER);
    expect(check({ answer: 'yes' })).toEqual({ valid: true, data: { answer: 'yes' }, errorMessage: undefined });
    expect(check({ answer: 42 })).toEqual({
      valid: false,
      data: undefined,
      errorMessage: 'data/answer must be string',
    });
    expect(check({})).toMatchObject({ valid: false, errorMessage: "data must have required property 'answer'" });
  });

  it('follows the dialect a schema declares, and checks formats', () => {
    const validator = new LateAjvValidator();
    const draft7 = validator.getValidator({
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: { when: { type: 'string', format: 'date' } },
    });
    expect(draft7({ when: '2026-12-07' }).valid).toBe(true);
    expect(draft7({ when: 'tomorrow' })).toMatchObject({
      valid: false,
      errorMessage: 'data/when must match format "date"',
    });
  });
});
