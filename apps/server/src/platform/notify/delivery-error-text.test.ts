import { describe, expect, it } from 'vitest';
import { deliveryErrorIn } from './delivery-error-text.js';

describe('delivery errors in the reader language', () => {
  it('says what a connection error means, keeping the code', () => {
    expect(deliveryErrorIn('cannot reach hooks.example:8443: ECONNREFUSED', 'zh-CN')).toBe('无法连接 hooks.example:8443：连接被拒绝，对方端口没有服务在监听（ECONNREFUSED）');
    expect(deliveryErrorIn('cannot reach hooks.example:8443: ECONNREFUSED', 'en')).toBe('cannot reach hooks.example:8443: connection refused: nothing listens on that port (ECONNREFUSED)');
    expect(deliveryErrorIn('SMTP mail.example:25: connect ETIMEDOUT 10.0.0.9:25', 'zh-CN')).toBe('SMTP mail.example:25：连接超时（ETIMEDOUT）');
  });

  it('words what the worker and the outbox write, and keeps what an endpoint answered as it said it', () => {
    expect(deliveryErrorIn('timed out after 10000 ms', 'zh-CN')).toBe('10000 毫秒内未完成，已超时');
    expect(deliveryErrorIn('the channel is disabled', 'zh-CN')).toBe('通知渠道已停用');
    expect(deliveryErrorIn('HTTP 502: bad gateway', 'zh-CN')).toBe('对方返回 HTTP 502：bad gateway');
    expect(deliveryErrorIn('errcode 310000: keywords not in content', 'zh-CN')).toBe('机器人返回错误 errcode 310000：keywords not in content');
    expect(deliveryErrorIn('HTTP 502: bad gateway', 'en')).toBe('HTTP 502: bad gateway');
  });

  it('splits the bilingual outbound-policy refusal and leaves unknown texts alone', () => {
    const refused = '出站网络策略拒绝连接 / refused by the outbound network policy: 127.0.0.1 loopback';
    expect(deliveryErrorIn(refused, 'zh-CN')).toBe('出站网络策略拒绝连接：127.0.0.1 loopback');
    expect(deliveryErrorIn(refused, 'en')).toBe('refused by the outbound network policy: 127.0.0.1 loopback');
    expect(deliveryErrorIn('Invalid login: 535 5.7.8 Authentication failed', 'zh-CN')).toBe('Invalid login: 535 5.7.8 Authentication failed');
  });
});
