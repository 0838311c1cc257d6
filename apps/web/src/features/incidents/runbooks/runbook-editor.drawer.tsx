import { Alert, Button, Card, Form, Input, InputNumber, Select, Space, Tag, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { RUNBOOK_LIMITS, RUNBOOK_STEP_KINDS, type Runbook, type RunbookStep, type RunbookStepKind } from '@yunwei/contracts/incident-runbooks';
import { currentLanguage } from '../../../app/i18n';
import { FormDrawer } from '../../../shared/components/form-drawer';
import { useChecks } from '../../checks/api/use-checks';
import { useCiClasses } from '../../cmdb/api/use-cmdb';
import { useIncidentTypes } from '../api/use-incidents';
import { useCreateRunbook, useSaveRunbookDraft, useUpdateRunbook } from './use-runbooks';

interface StepValues {
  kind: RunbookStepKind;
  title: string;
  instructions?: string;
  expected?: string;
  checkId?: string;
  argv?: string[];
  timeoutSeconds?: number | null;
}

interface Values {
  name: string;
  description?: string;
  typeIds?: string[];
  ciClasses?: string[];
  steps: StepValues[];
  changeNote?: string;
}

const toStep = (s: StepValues): RunbookStep => ({
  kind: s.kind,
  title: s.title.trim(),
  ...(s.instructions?.trim() ? { instructions: s.instructions.trim() } : {}),
  ...(s.expected?.trim() ? { expected: s.expected.trim() } : {}),
  ...(s.kind === 'check' && s.checkId ? { checkId: s.checkId } : {}),
  ...(s.kind === 'command' && s.argv?.length ? { argv: s.argv } : {}),
  ...(s.timeoutSeconds ? { timeoutSeconds: s.timeoutSeconds } : {}),
});

/**
 * Writes a runbook: what it is for (fault types, CI classes) and the steps of its next version — manual
 * instructions, a check to re-run, a command for the host's agent (each argument its own tag) — each with
 * the expected result. Saving a published runbook's steps starts its next version as a draft.
 */
export function RunbookEditorDrawer({ runbook, open, onClose }: { runbook: Runbook | null; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const types = useIncidentTypes();
  const classes = useCiClasses();
  const checks = useChecks({ limit: 500 });
  const create = useCreateRunbook();
  const update = useUpdateRunbook();
  const draft = useSaveRunbookDraft();
  const lang = currentLanguage() === 'en' ? 'en' : 'zh';
  const steps = runbook?.nextVersion?.steps ?? runbook?.publishedVersion?.steps ?? [{ kind: 'manual' as const, title: '' }];
  const locked = runbook?.nextVersion?.status === 'in_review';
  const initial: Values = {
    name: runbook?.name ?? '',
    description: runbook?.description ?? '',
    typeIds: runbook?.typeIds ?? [],
    ciClasses: runbook?.ciClasses ?? [],
    steps: steps.map((s) => ({ kind: s.kind, title: s.title, instructions: s.instructions ?? '', expected: s.expected ?? '', ...(s.checkId ? { checkId: s.checkId } : {}), ...(s.argv ? { argv: s.argv } : {}), timeoutSeconds: s.timeoutSeconds ?? null })),
    changeNote: '',
  };
  const save = async (v: Values): Promise<Runbook> => {
    const scope = { name: v.name.trim(), description: v.description?.trim() ?? '', typeIds: v.typeIds ?? [], ciClasses: v.ciClasses ?? [] };
    const body = { steps: v.steps.map(toStep), ...(v.changeNote?.trim() ? { changeNote: v.changeNote.trim() } : {}) };
    if (!runbook) {
      return create.mutateAsync({ ...scope, ...body });
    }
    const saved = await update.mutateAsync({ id: runbook.id, body: scope });
    return locked ? saved : draft.mutateAsync({ id: runbook.id, body });
  };
  return (
    <FormDrawer<Values, Runbook>
      open={open}
      editing={Boolean(runbook)}
      name="runbook-form"
      testId="runbook-form"
      width={820}
      title={t('runbooks.createTitle')}
      editTitle={t('runbooks.editTitle', { name: runbook?.name ?? '' })}
      initialValues={initial}
      onSubmit={save}
      onClose={onClose}
    >
      <Form.Item name="name" label={t('runbooks.field.name')} rules={[{ required: true, whitespace: true, message: t('runbooks.nameRequired') }, { max: RUNBOOK_LIMITS.title }]}>
        <Input data-testid="runbook-name" />
      </Form.Item>
      <Form.Item name="description" label={t('runbooks.field.description')}>
        <Input.TextArea rows={2} />
      </Form.Item>
      <Space.Compact block style={{ gap: 12 }}>
        <Form.Item name="typeIds" label={t('runbooks.field.types')} style={{ flex: 1 }} extra={t('runbooks.typesHelp')}>
          <Select mode="multiple" allowClear showSearch={{ optionFilterProp: 'label' }} loading={types.isLoading} options={(types.data ?? []).map((x) => ({ value: x.id, label: x.path }))} data-testid="runbook-types" />
        </Form.Item>
        <Form.Item name="ciClasses" label={t('runbooks.field.classes')} style={{ flex: 1 }}>
          <Select mode="multiple" allowClear showSearch={{ optionFilterProp: 'label' }} loading={classes.isLoading} options={(classes.data ?? []).map((c) => ({ value: c.code, label: c.name[lang] }))} data-testid="runbook-classes" />
        </Form.Item>
      </Space.Compact>
      {locked && <Alert type="info" showIcon title={t('runbooks.lockedInReview', { label: runbook?.nextVersion?.label })} style={{ marginBottom: 12 }} />}
      <Typography.Title level={5}>
        {t('runbooks.steps')} {runbook?.nextVersion && <Tag>{runbook.nextVersion.label} · {runbook.nextVersion.statusName}</Tag>}
      </Typography.Title>
      <Form.List name="steps">
        {(fields, { add, remove, move }) => (
          <Space direction="vertical" style={{ width: '100%' }}>
            {fields.map((field, i) => (
              <Card
                key={field.key}
                size="small"
                title={t('runbooks.stepN', { n: i + 1 })}
                extra={
                  <Space size={4}>
                    <Button size="small" disabled={i === 0 || locked} onClick={() => move(i, i - 1)}>↑</Button>
                    <Button size="small" disabled={i === fields.length - 1 || locked} onClick={() => move(i, i + 1)}>↓</Button>
                    <Button size="small" danger icon={<DeleteOutlined />} disabled={fields.length === 1 || locked} onClick={() => remove(field.name)} aria-label={t('common.delete')} />
                  </Space>
                }
                data-testid={`runbook-step-${i}`}
              >
                <Space.Compact block style={{ gap: 12 }}>
                  <Form.Item name={[field.name, 'kind']} label={t('runbooks.field.kind')} style={{ width: 160 }} rules={[{ required: true }]}>
                    <Select disabled={locked} options={RUNBOOK_STEP_KINDS.map((k) => ({ value: k, label: t(`runbooks.kind.${k}`) }))} data-testid={`runbook-step-${i}-kind`} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'title']} label={t('runbooks.field.title')} style={{ flex: 1 }} rules={[{ required: true, whitespace: true, message: t('runbooks.stepTitleRequired') }]}>
                    <Input disabled={locked} data-testid={`runbook-step-${i}-title`} />
                  </Form.Item>
                </Space.Compact>
                <Form.Item name={[field.name, 'instructions']} label={t('runbooks.field.instructions')}>
                  <Input.TextArea disabled={locked} rows={2} />
                </Form.Item>
                <Form.Item noStyle shouldUpdate={(a: Values, b: Values) => a.steps?.[i]?.kind !== b.steps?.[i]?.kind}>
                  {({ getFieldValue }) => {
                    const kind = getFieldValue(['steps', field.name, 'kind']) as RunbookStepKind;
                    if (kind === 'check') {
                      return (
                        <Form.Item name={[field.name, 'checkId']} label={t('runbooks.field.check')} rules={[{ required: true, message: t('runbooks.checkRequired') }]}>
                          <Select disabled={locked} showSearch={{ optionFilterProp: 'label' }} loading={checks.isLoading} options={(checks.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))} />
                        </Form.Item>
                      );
                    }
                    if (kind === 'command') {
                      return (
                        <Space.Compact block style={{ gap: 12 }}>
                          <Form.Item name={[field.name, 'argv']} label={t('runbooks.field.argv')} style={{ flex: 1 }} extra={t('runbooks.argvHelp')} rules={[{ required: true, message: t('runbooks.argvRequired') }]}>
                            <Select disabled={locked} mode="tags" open={false} tokenSeparators={[]} style={{ fontFamily: 'monospace' }} data-testid={`runbook-step-${i}-argv`} />
                          </Form.Item>
                          <Form.Item name={[field.name, 'timeoutSeconds']} label={t('runbooks.field.timeout')} style={{ width: 140 }}>
                            <InputNumber disabled={locked} min={1} max={RUNBOOK_LIMITS.timeoutSeconds} style={{ width: '100%' }} />
                          </Form.Item>
                        </Space.Compact>
                      );
                    }
                    return null;
                  }}
                </Form.Item>
                <Form.Item name={[field.name, 'expected']} label={t('runbooks.field.expected')}>
                  <Input disabled={locked} />
                </Form.Item>
              </Card>
            ))}
            <Button block icon={<PlusOutlined />} disabled={locked || fields.length >= RUNBOOK_LIMITS.steps} onClick={() => add({ kind: 'manual', title: '' })} data-testid="runbook-add-step">
              {t('runbooks.addStep')}
            </Button>
          </Space>
        )}
      </Form.List>
      <Form.Item name="changeNote" label={t('runbooks.field.changeNote')} style={{ marginTop: 16 }}>
        <Input disabled={locked} />
      </Form.Item>
    </FormDrawer>
  );
}
