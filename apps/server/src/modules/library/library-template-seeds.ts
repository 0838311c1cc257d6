import type { LibraryBody } from '@yunwei/contracts/library';
import type { LibraryTemplatePeriod } from '@yunwei/contracts/library-templates';

/*
 * The templates Yunwei ships: the written products of the standard whose numbers come from live data.
 * Seeded once per database by key (an administrator's edits are kept; they cannot be deleted).
 */

const text = (t: string) => ({ type: 'text', text: t });
const p = (t: string) => ({ type: 'paragraph', content: [text(t)] });
const h = (level: number, t: string) => ({ type: 'heading', attrs: { level }, content: [text(t)] });
const doc = (...content: object[]) => ({ type: 'doc', content }) as LibraryBody;

export interface SeedTemplate {
  key: string;
  typeCode: string;
  name: string;
  description: string;
  defaultPeriod: LibraryTemplatePeriod;
  body: LibraryBody;
}

export const SEED_TEMPLATES: readonly SeedTemplate[] = [
  {
    key: 'running-status.monthly',
    typeCode: 'operation_status_report',
    name: '系统运行状况月报',
    description: '按月汇总可用性、告警（MTTA/MTTR）、拨测停机、资源占用和巡检发现（L2-2.1.2）。',
    defaultPeriod: 'month',
    body: doc(
      h(1, '一、概况'),
      p('报告期内共发生告警 {{alerts.summary.count}} 条，其中严重告警 {{alerts.summary.critical}} 条；平均确认时长 {{alerts.summary.mttaMinutes}}，平均恢复时长 {{alerts.summary.mttrMinutes}}。'),
      p('拨测可用率 {{checks.downtime.availability}}，停机时长 {{checks.downtime.downtimeMinutes}}；配置项平均可用率 {{monitoring.availability.overall}}，最低为 {{monitoring.availability.lowestCi}}（{{monitoring.availability.lowest}}）。'),
      p('巡检 {{inspections.findings.records}} 次，发现异常项 {{inspections.findings.abnormal}} 个。'),
      h(1, '二、可用性'),
      p('{{monitoring.availability}}'),
      h(1, '三、告警统计'),
      p('{{alerts.summary}}'),
      h(1, '四、拨测与停机时长'),
      p('{{checks.downtime}}'),
      h(1, '五、资源占用'),
      p('{{monitoring.top-users}}'),
      h(1, '六、巡检发现'),
      p('{{inspections.findings}}'),
      h(1, '七、结论与建议'),
      p('（请根据以上数据填写结论与建议。）'),
    ),
  },
  {
    key: 'performance.quarterly',
    typeCode: 'performance_assessment',
    name: '系统性能评估报告（季度）',
    description: '资源利用率与容量、增长趋势和到达阈值天数预测（L2-2.2.3）。',
    defaultPeriod: 'quarter',
    body: doc(
      h(1, '一、评估概况'),
      p('本期分析资源 {{capacity.forecast.analysed}} 项，峰值（P95）超过阈值的 {{capacity.forecast.overThreshold}} 项，最早 {{capacity.forecast.minDaysToThreshold}} 天后到达阈值。'),
      h(1, '二、资源占用'),
      p('{{monitoring.top-users}}'),
      h(1, '三、容量与增长预测'),
      p('{{capacity.forecast}}'),
      h(1, '四、运行状态分析'),
      p('{{monitoring.status}}'),
      h(1, '五、优化建议'),
      p('（请根据容量预测按紧迫程度列出扩容或优化建议。）'),
    ),
  },
  {
    key: 'monitoring-policy.default',
    typeCode: 'monitoring_policy',
    name: '日常运行状态监控制度',
    description: '监控对象、频率、通知与升级、巡检周期的书面制度，附当前监控现状（L1-2.1.1）。',
    defaultPeriod: 'month',
    body: doc(
      h(1, '一、目的与范围'),
      p('为及时发现信息系统运行异常，保障业务连续性，制定本制度。本制度适用于纳入配置管理数据库的全部配置项。'),
      h(1, '二、监控对象与频率'),
      p('服务器、网络设备、数据库和业务系统按类别规则采集运行指标；业务入口配置拨测，间隔不超过 5 分钟。'),
      h(1, '三、告警通知与升级'),
      p('告警按严重程度通知值班人员；严重告警 15 分钟内未确认的，升级通知值班负责人。'),
      h(1, '四、巡检'),
      p('按巡检计划执行日常巡检，巡检记录须签字确认，异常项须跟踪至关闭。'),
      h(1, '五、监控现状（上月）'),
      p('当前共有拨测 {{checks.downtime.checks}} 个，上月拨测可用率 {{checks.downtime.availability}}；上月告警 {{alerts.summary.count}} 条，平均确认时长 {{alerts.summary.mttaMinutes}}；巡检 {{inspections.findings.records}} 次。'),
    ),
  },
];
