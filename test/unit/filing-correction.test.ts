// 补正 in the guided filing form: a returned filing names field paths ('plaintiffs.1.idNumber',
// 'materials', 'agent.powerOfAttorneyMaterialId' …); the form opens the step where each is answered and
// flags the inputs it concerns. These are the pure mappings behind that.
import { describe, expect, it } from 'vitest';
import { FILING_STEPS, fieldConcerns, stepOfField } from '../../web-components/src/filing/filing-model.ts';

describe('filing correction mapping', () => {
  it('sends every field path a rule names to the step where it is answered', () => {
    expect(stepOfField('courtId')).toBe('court');
    expect(stepOfField('causeFacts.outstandingAmount')).toBe('questions');
    expect(stepOfField('knewOn')).toBe('questions');
    expect(stepOfField('plaintiffs.1.idNumber')).toBe('parties');
    expect(stepOfField('defendants.0.address')).toBe('parties');
    expect(stepOfField('agent.powerOfAttorneyMaterialId')).toBe('parties');
    expect(stepOfField('claims.0.amount')).toBe('claims');
    expect(stepOfField('facts')).toBe('claims');
    expect(stepOfField('evidence.2.purpose')).toBe('evidence');
    expect(stepOfField('jurisdiction')).toBe('evidence');
    expect(stepOfField('electronicService.consent')).toBe('service');
    expect(stepOfField('materials')).toBe('materials');
    // A path the form does not know (e.g. a clerk's free-form field) lands on the review, still a step.
    expect(stepOfField('somethingElse')).toBe('review');
    expect(FILING_STEPS).toContain(stepOfField(''));
  });

  it('flags an input when the rule names it, a field inside it, or a field containing it — not a namesake', () => {
    expect(fieldConcerns('plaintiffs.0.idNumber', 'plaintiffs.0.idNumber')).toBe(true);
    expect(fieldConcerns('plaintiffs.0', 'plaintiffs.0.idNumber')).toBe(true);
    expect(fieldConcerns('plaintiffs.0.idNumber', 'plaintiffs.0')).toBe(true);
    expect(fieldConcerns('plaintiffs.1.idNumber', 'plaintiffs.0.idNumber')).toBe(false);
    expect(fieldConcerns('plaintiffs.1', 'plaintiffs.10.name')).toBe(false);
    expect(fieldConcerns('claims', 'claims.0.amount')).toBe(true);
    expect(fieldConcerns('facts', 'factsExtra')).toBe(false);
  });
});
