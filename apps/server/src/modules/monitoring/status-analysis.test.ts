import { describe, expect, it } from 'vitest';
import type { UtilisationFinding } from '@yunwei/contracts/monitoring';
import { judgeBusinessSystem, judgeCi } from './status-analysis.js';

const finding = (over: Partial<UtilisationFinding>): UtilisationFinding => ({
  ciId: 'c1',
  ciName: 'web-01',
  resource: 'cpu',
  mount: null,
  threshold: 80,
  avg: 40,
  p95: 50,
  max: 60,
  trendPerDay: 0,
  daysToThreshold: null,
  verdict: 'normal',
  recommendation: 'P95 低于阈值 80.0%，余量 30.0 个百分点，运行正常，无需处理。',
  ...over,
});

describe('运行状态分析', () => {
  it('[L3-2.1.2] judges a CI 正常 / 关注 / 异常 from its utilisation findings and check availability, with the reasons', () => {
    const normal = judgeCi({ id: 'c1', name: 'web-01', findings: [finding({})], availability: 99.95 }, 'zh-CN');
    expect(normal).toEqual({ id: 'c1', name: 'web-01', kind: 'ci', level: 'normal', reasons: ['各项指标均在阈值以内'] });

    const watch = judgeCi({ id: 'c1', name: 'web-01', findings: [finding({ resource: 'memory', threshold: 85, p95: 70, verdict: 'watch', recommendation: 'P95 已接近阈值 85.0%（余量 15.0 个百分点），需关注：持续观察，提前准备扩容方案。' })], availability: 99.5 }, 'zh-CN');
    expect(watch.level).toBe('watch');
    expect(watch.reasons).toEqual(['内存使用率：P95 已接近阈值 85.0%（余量 15.0 个百分点），需关注：持续观察，提前准备扩容方案。', '可用率 99.50% 低于 99.9%']);

    const abnormal = judgeCi({ id: 'c1', name: 'web-01', findings: [finding({ resource: 'fs', mount: '/data', verdict: 'expand', recommendation: 'P95 已超过阈值 90.0%，需扩容。' })], availability: 98 }, 'en');
    expect(abnormal.level).toBe('abnormal');
    expect(abnormal.reasons).toEqual(['file system /data utilisation: P95 已超过阈值 90.0%，需扩容。', 'availability 98.00% is below 99%']);

    // Availability alone decides too; no data at all says so.
    expect(judgeCi({ id: 'c1', name: 'web-01', findings: [], availability: 98.9 }, 'zh-CN').level).toBe('abnormal');
    expect(judgeCi({ id: 'c1', name: 'web-01', findings: [], availability: null }, 'zh-CN')).toMatchObject({ level: 'normal', reasons: ['区间内无指标数据'] });
  });

  it('[L3-2.1.2] judges a business system by its worst CI and names it', () => {
    const web = judgeCi({ id: 'c1', name: 'web-01', findings: [], availability: 98 }, 'zh-CN');
    const db = judgeCi({ id: 'c2', name: 'db-01', findings: [], availability: 99.95 }, 'zh-CN');
    expect(judgeBusinessSystem({ id: 'b', name: '网上办事大厅' }, [db, web], 'zh-CN')).toEqual({ id: 'b', name: '网上办事大厅', kind: 'businessSystem', level: 'abnormal', reasons: ['web-01【异常】：可用率 98.00% 低于 99%'] });
    expect(judgeBusinessSystem({ id: 'b', name: '网上办事大厅' }, [db], 'zh-CN')).toMatchObject({ level: 'normal', reasons: ['全部 1 个配置项正常'] });
  });
});
