// Identity document numbers (GB 11643 resident ID, residence permit, passports, travel permits):
// a table of valid and invalid numbers, each refusal with its code.
import { describe, expect, it } from 'vitest';
import { checkIdNumber, chinaToday, type IdType } from '../../platform/identity/check-id-number.ts';
import { residentIdCheckCharacter } from '../../platform/identity/resident-id.ts';
import { ID_REFUSALS } from '../../platform/identity/id-refusals.ts';

const TODAY = '2026-11-27';
/** The first 17 digits and their correct check character. */
const withCheck = (first17: string) => first17 + residentIdCheckCharacter(first17);
/** The same with a wrong check character. */
const wrongCheck = (first17: string) => first17 + (residentIdCheckCharacter(first17) === '0' ? '1' : '0');

describe('residentIdCheckCharacter', () => {
  it('matches the worked examples of GB 11643', () => {
    expect(residentIdCheckCharacter('11010519491231002')).toBe('X');
    expect(residentIdCheckCharacter('44052418800101001')).toBe('4');
  });
  it('refuses anything but 17 digits', () => {
    expect(() => residentIdCheckCharacter('1101051949123100')).toThrow();
    expect(() => residentIdCheckCharacter('1101051949123100A')).toThrow();
  });
});

const valid: [IdType, string, Record<string, unknown>?][] = [
  ['resident', '11010519491231002X', { birthDate: '1949-12-31', sex: 'female', region: '北京市', regionCode: '110105' }],
  ['resident', '11010519491231002x', { birthDate: '1949-12-31' }],
  ['resident', '１１０１０５１９４９１２３１００２Ｘ', { birthDate: '1949-12-31' }],
  ['resident', withCheck('44190019900101001'), { sex: 'male', region: '广东省', regionCode: '441900' }],
  ['resident', withCheck('46900120000229004'), { birthDate: '2000-02-29', sex: 'female' }],
  ['resident', withCheck('65010119000101001'), { birthDate: '1900-01-01' }],
  ['resident', withCheck('31011520261127003'), { birthDate: TODAY }],
  ['residence', withCheck('81000019850615002'), { region: '香港特别行政区', sex: 'female' }],
  ['residence', withCheck('83000019700101005'), { region: '台湾地区', sex: 'male' }],
  ['passport', 'E12345678'],
  ['passport', 'EA1234567'],
  ['passport', 'c01x00t47'],
  ['hkmo', 'H12345678'],
  ['hkmo', 'M87654321'],
  ['tw', '01234567'],
];

const invalid: [IdType, string, string[]][] = [
  ['resident', '', ['ID_EMPTY']],
  ['resident', '   ', ['ID_EMPTY']],
  ['resident', '110105194912310', ['ID_LENGTH']],
  ['resident', '11010519491231002', ['ID_LENGTH']],
  ['resident', '11010519491231002X1', ['ID_LENGTH']],
  ['resident', '1101051949123100X2', ['ID_FORMAT']],
  ['resident', '11010519491231002Y', ['ID_FORMAT']],
  ['resident', '110105 19491231002', ['ID_FORMAT']],
  ['resident', '110105194912310021', ['ID_CHECK_DIGIT']],
  ['resident', wrongCheck('44190019900101001'), ['ID_CHECK_DIGIT']],
  ['resident', withCheck('99010519491231002'), ['ID_REGION']],
  ['resident', withCheck('71010019800101001'), ['ID_REGION']],
  ['resident', withCheck('11000019800101001'), ['ID_REGION']],
  ['resident', withCheck('11800019800101001'), ['ID_REGION']],
  ['resident', withCheck('81000019850615002'), ['ID_REGION']],
  ['resident', withCheck('11010519490230002'), ['ID_BIRTH_DATE']],
  ['resident', withCheck('11010520010229002'), ['ID_BIRTH_DATE']],
  ['resident', withCheck('11010519901301002'), ['ID_BIRTH_DATE']],
  ['resident', withCheck('11010519900100002'), ['ID_BIRTH_DATE']],
  ['resident', '440524188001010014', ['ID_BIRTH_DATE']],
  ['resident', withCheck('11010520261128002'), ['ID_BIRTH_DATE']],
  ['resident', wrongCheck('99010520301301002'), ['ID_REGION', 'ID_BIRTH_DATE', 'ID_CHECK_DIGIT']],
  ['residence', '11010519491231002X', ['ID_REGION']],
  ['residence', withCheck('82000018991231002'), ['ID_BIRTH_DATE']],
  ['passport', 'E123', ['ID_LENGTH']],
  ['passport', 'E123456789', ['ID_LENGTH']],
  ['passport', 'ABCDEFGH', ['ID_FORMAT']],
  ['passport', 'E1234-567', ['ID_FORMAT']],
  ['hkmo', 'H1234567', ['ID_LENGTH']],
  ['hkmo', 'K12345678', ['ID_FORMAT']],
  ['hkmo', 'H1234567A', ['ID_FORMAT']],
  ['tw', '0123456', ['ID_LENGTH']],
  ['tw', '0123456A', ['ID_FORMAT']],
];

describe('checkIdNumber', () => {
  it.each(valid)('%s %s is valid', (type, number, facts) => {
    const check = checkIdNumber(type, number, TODAY);
    expect(check.reasons).toEqual([]);
    expect(check.valid).toBe(true);
    if (facts) expect(check.facts).toMatchObject(facts);
  });

  it.each(invalid)('%s %j is refused with %j', (type, number, codes) => {
    const check = checkIdNumber(type, number, TODAY);
    expect(check.valid).toBe(false);
    expect(check.reasons.map((reason) => reason.code)).toEqual(codes);
    expect(check.facts).toBeUndefined();
    for (const reason of check.reasons) {
      expect(reason.zh).toBe(ID_REFUSALS[reason.code].zh);
      expect(reason.en).toBe(ID_REFUSALS[reason.code].en);
      // Hints never repeat the number: it is personal data.
      if (number.length > 4) expect(reason.hint ?? '').not.toContain(number);
    }
  });

  it('normalises full-width digits and a lower-case x', () => {
    expect(checkIdNumber('resident', ' １１０１０５１９４９１２３１００２ｘ ', TODAY).normalised).toBe('11010519491231002X');
  });

  it("bounds the birth date by China's date (UTC+8)", () => {
    expect(chinaToday(new Date('2026-11-27T15:59:59Z'))).toBe('2026-11-27');
    expect(chinaToday(new Date('2026-11-27T16:00:00Z'))).toBe('2026-11-28');
    const bornTomorrow = withCheck('11010520261128002');
    expect(checkIdNumber('resident', bornTomorrow, chinaToday(new Date('2026-11-27T16:00:00Z'))).valid).toBe(true);
  });
});
