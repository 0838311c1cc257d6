import type { ErrorCode } from '@yunwei/contracts/errors';
import type { LocalizedText } from '@yunwei/contracts/i18n';
import { AppError } from '../errors.js';

type Rule = [RegExp, (m: RegExpExecArray) => string];

/** Why an uploaded sheet cannot be read, in Chinese; the English is the reason as the code states it. */
const CHINESE: readonly Rule[] = [
  [/^empty file$/, () => '文件是空的'],
  [/^legacy \.xls/, () => '这是旧版 .xls 文件：请在 Excel 或 WPS 中另存为 .xlsx（或 CSV）后再导入'],
  [/^more than (\d+) columns$/, (m) => `列数超过 ${m[1]}`],
  [/^more than (\d+) rows$/, (m) => `行数超过 ${m[1]}，请拆分后分批导入`],
  [/^no worksheet$/, () => '文件中没有工作表'],
  [/^not UTF-8 or GB18030 text$/, () => '文本既不是 UTF-8 也不是 GB18030 编码'],
  [/^binary data$/, () => '文件既不是表格也不是文本'],
  [/^not an XLSX file nor UTF-8 CSV text$/, () => '既不是 XLSX 文件，也不是 UTF-8 编码的 CSV 文本'],
  [/^no "(.+) \((\w+)\)" column in the first row$/, (m) => `第一行没有“${m[1]}”列`],
];

/** The reason in both languages; a reason not listed (a damaged archive, a parser's words) keeps its technical text. */
export function unreadableText(reason: string): LocalizedText {
  for (const [pattern, zh] of CHINESE) {
    const m = pattern.exec(reason);
    if (m) {
      return { zh: zh(m), en: reason };
    }
  }
  return { zh: `文件已损坏或格式不对（${reason}）`, en: reason };
}

/**
 * The refusal of an uploaded file that cannot be read: `code` (the module's *_IMPORT_UNREADABLE) naming
 * the body, the reason for scripts, and the same reason in words for people (shown after the message).
 */
export function unreadableFile(code: ErrorCode, reason: string): AppError {
  return new AppError(code, { field: 'body', reason, explanation: unreadableText(reason) });
}
