import { describe, expect, it } from 'vitest';
import type { DispatchAlert } from './dispatch-alerts.js';
import { groupMessage, readableGroupLabels } from './dispatch-message.js';

const CI = '0190a0a0-0000-7000-8000-0000000000c1';
const CHECK = '0190a0a0-0000-7000-8000-0000000000c2';
const RULE = '0190a0a0-0000-7000-8000-0000000000c3';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const AT = Date.UTC(2026, 11, 6, 12, 15, 3);

function alert(id: string, patch: Partial<DispatchAlert> = {}): DispatchAlert {
  return {
    id,
    ruleId: RULE,
    ruleName: '首页不可用',
    ruleNameEn: null,
    severity: 'critical',
    state: 'firing',
    labels: { alertname: '首页不可用', rule: RULE, ci: CI, check: CHECK, type: 'http', ci_name: 'web-01', check_name: '首页 HTTP', severity: 'critical' },
    annotations: { zh: { summary: '首页不可用：检查 web-01 / 首页 HTTP 连续失败' }, en: { summary: '首页不可用: check web-01 / 首页 HTTP is failing' } },
    value: 3,
    threshold: 2,
    ciId: CI,
    firingAt: AT,
    ackedAt: null,
    resolvedAt: null,
    ...patch,
  };
}

describe('group messages', () => {
  it('say the group by names, never ids (an id label without a name is left out)', () => {
    expect(readableGroupLabels({ alertname: 'x', ci: CI, check: CHECK, team: 'web' }, [alert('a1')])).toEqual(['web-01', '首页 HTTP', 'team=web']);
    expect(readableGroupLabels({ ci: CI, agent: '0190a0a0-0000-7000-8000-0000000000c9' }, [])).toEqual([]);
  });

  it('write one time format with the zone, link absolutely under the public URL, and name the product as the UI does', () => {
    const m = groupMessage({ kind: 'firing', groupId: 'g', groupLabels: { alertname: '首页不可用', ci: CI }, firing: [alert('a1')], resolved: [], at: AT, publicUrl: 'https://ops.example.com', timeZone: 'Asia/Shanghai' });
    expect(m['zh-CN'].title).toBe('[告警 1 条] 首页不可用 (web-01)');
    expect(m['zh-CN'].url).toBe('https://ops.example.com/alerts/a1');
    expect(m['zh-CN'].text).toBe(
      ['[告警 1 条] 首页不可用 (web-01)', '', '- [严重] 首页不可用：检查 web-01 / 首页 HTTP 连续失败（开始于 2026-12-06 20:15:03 (UTC+08:00)）', '', '在运维中查看此告警: https://ops.example.com/alerts/a1'].join('\n'),
    );
    expect(m.en.text).toContain('- [critical] 首页不可用: check web-01 / 首页 HTTP is failing (since 2026-12-06 20:15:03 (UTC+08:00))');
    expect(m.en.text).toContain('Open this alert in Yunwei: https://ops.example.com/alerts/a1');
    for (const msg of [m['zh-CN'], m.en]) {
      expect(msg.title).not.toMatch(UUID);
      expect(msg.text.replace(/https?:\/\/\S+/g, '')).not.toMatch(UUID);
    }
  });

  it('link to the list when several alerts are in it, relatively while no public URL is set', () => {
    const m = groupMessage({ kind: 'firing', groupId: 'g', groupLabels: { alertname: '首页不可用' }, firing: [alert('a1'), alert('a2', { labels: { ...alert('a2').labels, ci_name: 'web-02' } })], resolved: [], at: AT, timeZone: 'UTC' });
    expect(m['zh-CN'].url).toBe('/alerts');
    expect(m['zh-CN'].markdown).toContain('[在运维中查看告警](/alerts)');
    expect(m['zh-CN'].markdown).toContain('| 严重 | [首页不可用](/alerts/a2) | web-02 / 首页 HTTP | 2026-12-06 12:15:03 (UTC+00:00) |');
    const resolved = groupMessage({ kind: 'resolved', groupId: 'g', groupLabels: {}, firing: [], resolved: [alert('a1', { state: 'resolved', resolvedAt: AT })], at: AT, timeZone: 'Asia/Shanghai' });
    expect(resolved.en.text).toContain('- 首页不可用 web-01 / 首页 HTTP resolved at 2026-12-06 20:15:03 (UTC+08:00)');
  });

  it('name a rule with an English name (a rule pack\'s) by it in English, by its Chinese name in Chinese', () => {
    const named = alert('a1', { ruleName: 'HTTP 服务不可用', ruleNameEn: 'HTTP service down', annotations: { zh: { summary: 'web-01 / 首页 HTTP 连续失败' }, en: { summary: 'web-01 / 首页 HTTP is failing' } } });
    const m = groupMessage({ kind: 'firing', groupId: 'g', groupLabels: { alertname: 'HTTP 服务不可用' }, firing: [named], resolved: [], at: AT, timeZone: 'UTC' });
    expect(m.en.title).toBe('[FIRING 1] HTTP service down');
    expect(m.en.markdown).toContain('[HTTP service down]');
    expect(m.en.text).toContain('- [critical] HTTP service down web-01 / 首页 HTTP is failing');
    expect(m.en.text).not.toContain('HTTP 服务不可用');
    expect(m['zh-CN'].title).toBe('[告警 1 条] HTTP 服务不可用');
    const resolved = groupMessage({ kind: 'resolved', groupId: 'g', groupLabels: {}, firing: [], resolved: [{ ...named, state: 'resolved', resolvedAt: AT }], at: AT, timeZone: 'UTC' });
    expect(resolved.en.title).toBe('[RESOLVED 1] HTTP service down');
  });
});
