import { describe, expect, it } from 'vitest';
import { configFromForm, configToForm } from './config-fields';

describe('channel form ↔ API configuration', () => {
  it('leaves out empty fields (a blank secret keeps the stored one), trims text and parses header lines', () => {
    expect(
      configFromForm({ url: ' https://hooks.example.cn/x ', secret: '', headers: 'Authorization: Bearer a:b\n\nX-Env:prod\n', atMobiles: [], atAll: false, port: 465, to: ['a@example.cn'], user: undefined }),
    ).toEqual({ url: 'https://hooks.example.cn/x', headers: { Authorization: 'Bearer a:b', 'X-Env': 'prod' }, atAll: false, port: 465, to: ['a@example.cn'] });
  });

  it('shows stored headers as lines, and round-trips them', () => {
    const config = { url: 'https://h.cn', headers: { A: '1', 'X-B': 'two words' } };
    expect(configToForm(config)).toEqual({ url: 'https://h.cn', headers: 'A: 1\nX-B: two words' });
    expect(configFromForm(configToForm(config))).toEqual(config);
  });

  it('#10.10 header values come back masked (null): shown as "Name:", sent back as null (keep the stored value)', () => {
    const stored = { url: 'https://h.cn', headers: { Authorization: null, 'X-Team': null } };
    expect(configToForm(stored)).toEqual({ url: 'https://h.cn', headers: 'Authorization:\nX-Team:' });
    expect(configFromForm({ ...configToForm(stored), headers: 'Authorization:\nX-New: v2' })).toEqual({ url: 'https://h.cn', headers: { Authorization: null, 'X-New': 'v2' } });
  });
});
