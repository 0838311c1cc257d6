import { describe, expect, it } from 'vitest';
import { CHECK_MESSAGES, checkMessageIn, formatCheckMessage } from './check-messages.js';

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
const CJK = /[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]/;

describe('check result messages', () => {
  it('every code reads in both languages with the same placeholders, and the English text has no Chinese in it', () => {
    for (const [code, { zh, en }] of Object.entries(CHECK_MESSAGES)) {
      expect(placeholders(zh), code).toEqual(placeholders(en));
      expect(CJK.test(en), `${code}: ${en}`).toBe(false);
      // A Chinese text either says something in Chinese or only passes on what the peer said.
      expect(CJK.test(zh) || /^\{\{\w+\}\}$/.test(zh) || zh.startsWith('HTTP') || zh.startsWith('SNMP'), `${code}: ${zh}`).toBe(true);
    }
  });

  it('fills the parameters in; an unknown code (a newer server) falls back to the stored English text', () => {
    expect(formatCheckMessage('http.unexpectedStatus', { status: 503, expected: '200–399' }, 'zh-CN')).toBe('HTTP 503，期望 200–399');
    expect(formatCheckMessage('http.unexpectedStatus', { status: 503, expected: '200–399' }, 'en')).toBe('HTTP 503, expected 200–399');
    expect(formatCheckMessage('no.such.code', {}, 'en')).toBeNull();
    expect(checkMessageIn({ message: 'HTTP 200 in 3.1 ms', messageCode: 'future.code', messageParams: {} }, 'zh-CN')).toBe('HTTP 200 in 3.1 ms');
    expect(checkMessageIn({ message: 'connect ECONNREFUSED', messageCode: null, messageParams: null }, 'zh-CN')).toBe('connect ECONNREFUSED');
    expect(checkMessageIn({ message: 'x', messageCode: 'net.refused', messageParams: { detail: 'connect ECONNREFUSED 10.0.0.5:443' } }, 'zh-CN')).toBe('连接被拒绝（connect ECONNREFUSED 10.0.0.5:443）');
  });
});
