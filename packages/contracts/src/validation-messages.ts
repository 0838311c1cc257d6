import { PERMISSION_PATTERN } from './access.js';
import { ENV_NAME_PATTERN } from './agent-commands.js';
import { ATTRIBUTE_KEY_PATTERN, CODE_PATTERN } from './cmdb.js';
import type { LocalizedText } from './i18n.js';
import { USERNAME_PATTERN } from './identity.js';
import { LABEL_NAME_PATTERN, METRIC_NAME_PATTERN } from './monitoring.js';
import { SLUG_PATTERN } from './status-pages.js';

const IDENTIFIER: LocalizedText = { zh: '必须以小写字母开头，只含小写字母、数字和 _', en: 'must start with a lower-case letter and hold only lower-case letters, digits and _' };
const LABEL_NAME: LocalizedText = { zh: '必须是标签名：以字母或 _ 开头，只含字母、数字和 _', en: 'must be a label name: a letter or _, then letters, digits or _' };
const CLOCK_TIME: LocalizedText = { zh: '必须是 HH:MM 格式的时间（如 08:30）', en: 'must be a time as HH:MM (e.g. 08:30)' };
const HOST: LocalizedText = { zh: '不是有效的主机名或 IP 地址', en: 'is not a valid host name or IP address' };
const EMAIL: LocalizedText = { zh: '不是有效的电子邮件地址', en: 'is not a valid e-mail address' };
const LETTERS_DIGITS: LocalizedText = { zh: '只能包含字母、数字、_ 和 -', en: 'may hold only letters, digits, _ and -' };

/**
 * What each `pattern` of the contract's schemas asks for, in words: a validation error names the rule
 * ("必须是 http 或 https 地址"), never the regular expression. Keyed by the pattern's source text; a
 * unit test fails on a schema pattern missing here.
 */
export const PATTERN_MESSAGES: Readonly<Record<string, LocalizedText>> = {
  '^[0-9a-fA-F-]{1,64}$': { zh: '不是有效的编号', en: 'is not a valid id' },
  '^[^\\u0000-\\u001f]*[^\\s\\u0000-\\u001f][^\\u0000-\\u001f]*$': { zh: '不能为空白，也不能包含控制字符', en: 'must not be blank or hold control characters' },
  '^[^\\u0000-\\u001f]+$': { zh: '不能为空，也不能包含控制字符', en: 'must not be empty or hold control characters' },
  '^[^\\u0000-\\u001f]*$': { zh: '不能包含控制字符', en: 'must not hold control characters' },
  '^https?://[^\\s]+$': { zh: '必须是 http 或 https 地址', en: 'must be an http or https URL' },
  [PERMISSION_PATTERN]: { zh: '不是有效的权限编号（模块.资源.操作）', en: 'is not a permission id (module.resource.action)' },
  [USERNAME_PATTERN]: { zh: '必须以字母或数字开头，只含字母、数字和 . _ @ -', en: 'must start with a letter or digit and hold only letters, digits and . _ @ -' },
  [CODE_PATTERN]: { zh: '必须以小写字母开头，只含小写字母、数字和 _，共 2–40 个字符', en: 'must be 2–40 lower-case letters, digits or _, starting with a letter' },
  [ATTRIBUTE_KEY_PATTERN]: { zh: '必须以小写字母开头，只含小写字母、数字和 _，最多 40 个字符', en: 'must be at most 40 lower-case letters, digits or _, starting with a letter' },
  [METRIC_NAME_PATTERN]: { zh: '必须是指标名：以字母、_ 或 : 开头，只含字母、数字、_ 和 :', en: 'must be a metric name: a letter, _ or :, then letters, digits, _ or :' },
  [LABEL_NAME_PATTERN]: LABEL_NAME,
  [SLUG_PATTERN]: { zh: '只能包含小写字母、数字和 -，且不能以 - 开头或结尾', en: 'may hold only lower-case letters, digits and -, not at either end' },
  '^[A-Za-z_][A-Za-z0-9_]*$': LABEL_NAME,
  [ENV_NAME_PATTERN]: { zh: '必须是环境变量名：以字母或 _ 开头，只含字母、数字和 _，最多 128 个字符', en: 'must be an environment variable name: a letter or _, then letters, digits or _ (at most 128)' },
  '^[a-z][a-z0-9_]*$': IDENTIFIER,
  '^[a-z][a-z0-9_.-]*$': { zh: '须以小写字母开头，只含小写字母、数字、下划线、点和连字符', en: 'must start with a lowercase letter and hold only lowercase letters, digits, _ . and -' },
  '^[A-Z][A-Z0-9]*$': { zh: '须以大写字母开头，只含大写字母和数字', en: 'must start with a capital letter and hold only capital letters and digits' },
  '^([01]\\d|2[0-3]):[0-5]\\d$': CLOCK_TIME,
  '^([01][0-9]|2[0-3]):[0-5][0-9]$': CLOCK_TIME,
  '^\\d{4}-\\d{2}-\\d{2}$': { zh: '必须是 YYYY-MM-DD 格式的日期', en: 'must be a date as YYYY-MM-DD' },
  '^(pending|firing|acknowledged|resolved)(,(pending|firing|acknowledged|resolved))*$': {
    zh: '必须是 pending、firing、acknowledged、resolved 中的一个或多个，用逗号分隔',
    en: 'must be pending, firing, acknowledged or resolved, several separated by commas',
  },
  '^[0-9a-fA-F-]{1,64}(,[0-9a-fA-F-]{1,64})*$': { zh: '必须是用逗号分隔的配置项编号', en: 'must be CI ids separated by commas' },
  '^[a-zA-Z0-9_-]+$': LETTERS_DIGITS,
  '^[A-Za-z0-9_-]*$': LETTERS_DIGITS,
  '^[A-Za-z0-9][A-Za-z0-9._-]*$': { zh: '不是有效的文件名', en: 'is not a valid file name' },
  '^[A-Za-z0-9_:.*-]+$': { zh: '只能包含字母、数字和 _ : . - 以及通配符 *', en: 'may hold only letters, digits, _ : . - and the wildcard *' },
  '^/[^\\s]*$': { zh: '必须是以 / 开头的站内路径', en: 'must be a path inside Yunwei starting with /' },
  '^[A-Za-z0-9_:.\\[\\]%][A-Za-z0-9_:.\\-\\[\\]%]*$': HOST,
  '^[A-Za-z0-9_.:\\-\\[\\]]+$': HOST,
  '^[^\\s@<>]+@[^\\s@<>]+$': EMAIL,
  '^$|^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$': EMAIL,
  '^\\+?[0-9-]{3,20}$': { zh: '不是有效的手机号码', en: 'is not a valid mobile number' },
  '^[0-9+() -]*$': { zh: '只能包含数字、空格和 + ( ) -', en: 'may hold only digits, spaces and + ( ) -' },
  '^[0-9]{6}$': { zh: '必须是 6 位数字', en: 'must be 6 digits' },
  "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$": { zh: '不是有效的 HTTP 头名称', en: 'is not a valid HTTP header name' },
};

/** For a pattern not listed above (a schema added later): says what is wrong without the regular expression. */
export const UNKNOWN_PATTERN_MESSAGE: LocalizedText = { zh: '格式不正确', en: 'has the wrong format' };
