// `ecourt id check <number> [--type resident|residence|passport|hkmo|tw] [--json]`: says whether an
// identity document number is valid and, if not, why (coded reasons in Chinese and English). For
// a resident ID it also prints the birth date, sex and region the number carries. Exit 0 valid, 1 not.
import { parseArgs } from 'node:util';
import { checkIdNumber, ID_TYPE_NAMES, ID_TYPES, isIdType } from '../platform/identity/check-id-number.ts';

export class IdCheckUsageError extends Error {}

export const ID_CHECK_USAGE = `usage: ecourt id check <number> [--type ${ID_TYPES.join('|')}] [--json]`;

export function idCommand(args: string[]): number {
  const [sub, ...rest] = args;
  if (sub !== 'check') throw new IdCheckUsageError(ID_CHECK_USAGE);
  const { values, positionals } = parseArgs({
    args: rest,
    options: { type: { type: 'string', default: 'resident' }, json: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new IdCheckUsageError(ID_CHECK_USAGE);
  const type = values.type!;
  if (!isIdType(type)) throw new IdCheckUsageError(`--type must be one of ${ID_TYPES.join(', ')}`);
  const check = checkIdNumber(type, positionals[0]!);
  if (values.json) {
    const { normalised: _left, ...printed } = check;
    console.log(JSON.stringify(printed, null, 2));
    return check.valid ? 0 : 1;
  }
  const name = ID_TYPE_NAMES[type];
  if (check.valid) {
    const lines = [`valid / 有效 (${name.zh} / ${name.en})`];
    if (check.facts) {
      const sex = check.facts.sex === 'male' ? '男 / male' : '女 / female';
      lines.push(`  出生日期 / birth date: ${check.facts.birthDate}`, `  性别 / sex: ${sex}`, `  地区 / region: ${check.facts.region} (${check.facts.regionCode})`);
    }
    console.log(lines.join('\n'));
    return 0;
  }
  const lines = [`invalid / 无效 (${name.zh} / ${name.en})`];
  for (const reason of check.reasons) {
    lines.push(`  ${reason.code}: ${reason.zh} / ${reason.en}${reason.hint ? ` (${reason.hint})` : ''}`);
  }
  console.log(lines.join('\n'));
  return 1;
}
