import { pickText, type Locale, type LocalizedText } from '@yunwei/contracts/i18n';
import { networkErrorText } from '../net/network-error-text.js';

type Rule = [RegExp, (m: RegExpExecArray) => LocalizedText];

const same = (text: string): LocalizedText => ({ zh: text, en: text });
/** `connect ECONNREFUSED 127.0.0.1:25`, or a bare code, as people read it (else unchanged). */
const network = (text: string): LocalizedText => {
  const code = /^(?:connect |getaddrinfo |read |write )?([A-Z][A-Z0-9_]+)\b/.exec(text)?.[1];
  return (code && networkErrorText(code)) || same(text);
};

/**
 * The error texts sending writes to the delivery log (the channels' ChannelError, the worker, the
 * outbox), in the reader's language. The stored text is the English one (a log line; old rows too);
 * what an endpoint answered stays as it said it.
 */
const RULES: readonly Rule[] = [
  [/^cannot reach (\S+): (.+)$/s, (m) => {
    const why = network(m[2]!);
    return { zh: `无法连接 ${m[1]}：${why.zh}`, en: `cannot reach ${m[1]}: ${why.en}` };
  }],
  [/^SMTP (\S+): (.+)$/s, (m) => {
    const why = network(m[2]!);
    return { zh: `SMTP ${m[1]}：${why.zh}`, en: `SMTP ${m[1]}: ${why.en}` };
  }],
  [/^timed out after (\d+) ms$/, (m) => ({ zh: `${m[1]} 毫秒内未完成，已超时`, en: m[0] })],
  [/^interrupted by shutdown$/, (m) => ({ zh: '服务停止，发送被中断（将重新发送）', en: m[0] })],
  [/^aborted$/, (m) => ({ zh: '发送被中止', en: m[0] })],
  [/^(?:no such channel|the channel was deleted)$/, (m) => ({ zh: '通知渠道已被删除', en: m[0] })],
  [/^the channel is disabled$/, (m) => ({ zh: '通知渠道已停用', en: m[0] })],
  [/^rate limit: more than (\d+) per minute for (.+)$/s, (m) => ({ zh: `超过频率限制：${m[2]} 每分钟超过 ${m[1]} 条`, en: m[0] })],
  [/^HTTP (\d{3}): (.*)$/s, (m) => ({ zh: `对方返回 HTTP ${m[1]}：${m[2]}`, en: m[0] })],
  [/^(errcode|code) (\S+): (.*)$/s, (m) => ({ zh: `机器人返回错误 ${m[1]} ${m[2]}：${m[3]}`, en: m[0] })],
  [/^unexpected answer \(no (\w+)\): (.*)$/s, (m) => ({ zh: `返回内容不符合预期（缺少 ${m[1]}）：${m[2]}`, en: m[0] })],
  [/^no valid e-mail address among the recipients \((.*)\)$/s, (m) => ({ zh: `收件人中没有有效的电子邮件地址（${m[1]}）`, en: m[0] })],
  [/^出站网络策略拒绝连接 \/ refused by the outbound network policy: (.*)$/s, (m) => ({ zh: `出站网络策略拒绝连接：${m[1]}`, en: `refused by the outbound network policy: ${m[1]}` })],
];

/** A stored delivery error (`last_error`, a test's outcome) in `locale`. */
export function deliveryErrorIn(stored: string, locale: Locale): string {
  for (const [pattern, text] of RULES) {
    const m = pattern.exec(stored);
    if (m) {
      return pickText(text(m), locale);
    }
  }
  return stored;
}
