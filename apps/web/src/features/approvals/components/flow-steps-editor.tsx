import { Button, Card, Checkbox, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { APPROVAL_LIMITS, APPROVAL_MODES, type ApprovalApprover, type ApprovalMode, type ApprovalStep } from '@yunwei/contracts/approvals';
import { useAllRoles } from '../../access/api/use-roles';
import { useUsers } from '../../identity/api/use-users';
import { useSchedules } from '../../oncall/api/use-oncall';

/** A step as the form holds it: approvers split by kind, each a picker by name. */
export interface StepValues {
  name: string;
  mode: ApprovalMode;
  userIds: string[];
  roleIds: string[];
  orgLeader: boolean;
  scheduleIds: string[];
  dueHours: number | null;
}

export const NEW_STEP: StepValues = { name: '', mode: 'any', userIds: [], roleIds: [], orgLeader: false, scheduleIds: [], dueHours: null };

export function stepToValues(step: ApprovalStep): StepValues {
  const of = <K extends ApprovalApprover['kind']>(kind: K) => step.approvers.filter((a): a is Extract<ApprovalApprover, { kind: K }> => a.kind === kind);
  return {
    name: step.name,
    mode: step.mode,
    userIds: of('user').map((a) => a.userId),
    roleIds: of('role').map((a) => a.roleId),
    orgLeader: of('org_leader').length > 0,
    scheduleIds: of('on_call').map((a) => a.scheduleId),
    dueHours: step.dueHours ?? null,
  };
}

export function valuesToStep(v: StepValues): ApprovalStep {
  const approvers: ApprovalApprover[] = [
    ...v.userIds.map((userId) => ({ kind: 'user' as const, userId })),
    ...v.roleIds.map((roleId) => ({ kind: 'role' as const, roleId })),
    ...(v.orgLeader ? [{ kind: 'org_leader' as const }] : []),
    ...v.scheduleIds.map((scheduleId) => ({ kind: 'on_call' as const, scheduleId })),
  ];
  return { name: v.name.trim(), mode: v.mode, approvers, dueHours: v.dueHours ?? null };
}

/** What the chosen mode means, under the select (follows the choice). */
function ModeHelp({ step }: { step: number }) {
  const { t } = useTranslation();
  const mode = (Form.useWatch(['steps', step, 'mode']) as ApprovalMode | undefined) ?? 'any';
  return <span data-testid="flow-mode-help">{t(`approvals.modeHelp.${mode}`)}</span>;
}

/** The ordered steps of a flow: a name, a mode (会签 / 或签 / 依次) and approvers picked by name. */
export function FlowStepsEditor() {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const users = useUsers({ limit: 500, offset: 0, status: 'active', sort: 'username', order: 'asc' });
  const roles = useAllRoles();
  const schedules = useSchedules();
  const userOptions = (users.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.displayName}（${u.username}）` }));
  const someone = (step: number) => ({
    validator: async () => {
      const v = form.getFieldValue(['steps', step]) as StepValues | undefined;
      if (!v || v.userIds.length + v.roleIds.length + v.scheduleIds.length + (v.orgLeader ? 1 : 0) === 0) {
        throw new Error(t('approvals.flow.validation.approvers'));
      }
    },
  });
  return (
    <Form.List name="steps" rules={[{ validator: async (_, steps: unknown[]) => void (steps.length ? undefined : Promise.reject(new Error(t('approvals.flow.validation.steps')))) }]}>
      {(steps, { add, remove, move }, { errors }) => (
        <Space orientation="vertical" style={{ width: '100%' }}>
          {steps.map((step, i) => (
            <Card
              key={step.key}
              size="small"
              title={t('approvals.flow.stepN', { n: i + 1 })}
              data-testid={`flow-step-${i}`}
              extra={
                <Space size={0}>
                  {i > 0 && (
                    <Button type="text" size="small" onClick={() => move(i, i - 1)}>
                      {t('approvals.flow.moveUp')}
                    </Button>
                  )}
                  {steps.length > 1 && <Button type="text" size="small" icon={<DeleteOutlined />} onClick={() => remove(step.name)} aria-label={t('common.delete')} />}
                </Space>
              }
            >
              <Form.Item name={[step.name, 'name']} label={t('approvals.flow.stepName')} rules={[{ required: true, whitespace: true, message: t('approvals.flow.validation.stepName') }, { max: 100 }]}>
                <Input maxLength={100} placeholder={t('approvals.flow.stepNamePlaceholder')} data-testid={`flow-step-${i}-name`} />
              </Form.Item>
              <Form.Item name={[step.name, 'mode']} label={t('approvals.flow.mode')} extra={<ModeHelp step={step.name} />}>
                <Select options={APPROVAL_MODES.map((m) => ({ value: m, label: t(`approvals.mode.${m}`) }))} data-testid={`flow-step-${i}-mode`} />
              </Form.Item>
              <Form.Item name={[step.name, 'userIds']} label={t('approvals.approver.user')} rules={[someone(step.name)]} dependencies={[['steps', step.name, 'roleIds'], ['steps', step.name, 'orgLeader'], ['steps', step.name, 'scheduleIds']]}>
                <Select mode="multiple" showSearch={{ optionFilterProp: 'label' }} options={userOptions} loading={users.isLoading} placeholder={t('approvals.approver.userPlaceholder')} data-testid={`flow-step-${i}-users`} />
              </Form.Item>
              <Form.Item name={[step.name, 'roleIds']} label={t('approvals.approver.role')}>
                <Select mode="multiple" showSearch={{ optionFilterProp: 'label' }} options={(roles.data ?? []).map((r) => ({ value: r.id, label: r.name }))} placeholder={t('approvals.approver.rolePlaceholder')} />
              </Form.Item>
              <Form.Item name={[step.name, 'orgLeader']} valuePropName="checked" extra={t('approvals.approver.orgLeaderHelp')}>
                <Checkbox data-testid={`flow-step-${i}-leader`}>{t('approvals.approver.orgLeader')}</Checkbox>
              </Form.Item>
              <Form.Item name={[step.name, 'scheduleIds']} label={t('approvals.approver.onCall')}>
                <Select mode="multiple" showSearch={{ optionFilterProp: 'label' }} options={(schedules.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))} placeholder={t('approvals.approver.onCallPlaceholder')} />
              </Form.Item>
              <Form.Item name={[step.name, 'dueHours']} label={t('approvals.flow.dueHours')} extra={t('approvals.flow.dueHoursHelp')}>
                <InputNumber min={0.5} max={APPROVAL_LIMITS.maxDueHours} step={1} suffix={t('approvals.flow.hours')} style={{ width: 180 }} data-testid={`flow-step-${i}-due`} />
              </Form.Item>
            </Card>
          ))}
          <Form.ErrorList errors={errors} />
          {steps.length < APPROVAL_LIMITS.maxSteps && (
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ ...NEW_STEP })} data-testid="flow-add-step">
              {t('approvals.flow.addStep')}
            </Button>
          )}
          <Typography.Text type="secondary">{t('approvals.flow.stepsHelp')}</Typography.Text>
        </Space>
      )}
    </Form.List>
  );
}
