import { describe, expect, it } from 'vitest';
import { systemActor } from '../actor.js';
import { ProviderRegistry, type ProviderParams } from './providers.js';

const params = (locale: 'zh-CN' | 'en' = 'zh-CN', actor = systemActor()): ProviderParams => ({ actor, locale, from: 0, to: 1, scope: { kind: 'all', id: null, name: '全部', ciIds: null }, now: 1, timeZone: 'Asia/Shanghai' });

describe('document providers', () => {
  it('runs a provider into a section with its numbers', async () => {
    const registry = new ProviderRegistry();
    registry.register({ name: 'x.count', title: { zh: '计数', en: 'Count' }, permission: 'x.thing.read', produce: () => Promise.resolve({ blocks: [{ kind: 'paragraph', text: '3' }], data: { n: 3 } }) });
    expect(await registry.run('x.count', '一、计数', params())).toEqual({ provider: 'x.count', title: '计数', ok: true, error: null, data: { n: 3 }, section: { heading: '一、计数', blocks: [{ kind: 'paragraph', text: '3' }] } });
  });

  it('a provider that fails, is missing or may not be read yields a section saying which part is missing and why (danger), never a blank', async () => {
    const registry = new ProviderRegistry();
    registry.register({ name: 'x.broken', title: { zh: '损坏', en: 'Broken' }, permission: 'x.thing.read', produce: () => Promise.reject(new Error('disk on fire')) });
    const failed = await registry.run('x.broken', '二、损坏', params());
    expect(failed).toMatchObject({ ok: false, data: null, error: '数据生成失败（disk on fire）。' });
    expect(failed.section.blocks).toEqual([{ kind: 'paragraph', tone: 'danger', text: '本节（损坏）缺失：数据生成失败（disk on fire）。' }]);
    expect((await registry.run('x.broken', '2. Broken', params('en'))).section.blocks[0]).toMatchObject({ tone: 'danger', text: 'This section (Broken) is missing: its data could not be computed (disk on fire).' });
    expect((await registry.run('x.none', '三', params())).error).toBe('未安装数据提供者“x.none”。');
    const reader = { ...systemActor(), kind: 'user' as const, permissions: new Set<`${string}.${string}.${string}`>() };
    expect((await registry.run('x.broken', '四', params('zh-CN', reader))).error).toBe('您没有读取其数据的权限（x.thing.read）。');
  });
});
