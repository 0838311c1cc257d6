import { App, Button, Card, Col, Form, Input, Row, Select, Space, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined, SaveOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { FISHBONE_CATEGORIES, PROBLEM_LIMITS, type Fishbone, type FiveWhy, type Problem, type ProblemUpdate } from '@yunwei/contracts/incident-problems';
import { api, ApiError } from '../../../app/api-client';
import { currentLanguage } from '../../../app/i18n';
import { applyServerErrors } from '../../../shared/form-errors';
import { useIncidentTypes } from '../api/use-incidents';
import { useProblemNames } from './problem-names';
import { useUpdateProblem } from './use-problems';

interface Values {
  rootCause: string;
  fiveWhys: FiveWhy[];
  fishbone: Fishbone;
  workaround: string;
  permanentFix: string;
  matchTypeId?: string | null;
  matchClasses: string[];
  matchKeywords: string[];
}

const toValues = (p: Problem): Values => ({
  rootCause: p.rootCause,
  fiveWhys: p.fiveWhys,
  fishbone: p.fishbone,
  workaround: p.workaround,
  permanentFix: p.permanentFix,
  matchTypeId: p.match.typeId ?? null,
  matchClasses: p.match.ciClasses ?? [],
  matchKeywords: p.match.keywords ?? [],
});

/** 根因分析: 5 whys, the fishbone (人 / 机 / 料 / 法 / 环 / 测 → causes), workaround, permanent fix and the known error's match criteria. */
export function RcaForm({ problem, readOnly, onConflict }: { problem: Problem; readOnly: boolean; onConflict: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const names = useProblemNames();
  const [form] = Form.useForm<Values>();
  const update = useUpdateProblem();
  const types = useIncidentTypes();
  const classes = useQuery({
    queryKey: ['cmdb', 'classes', currentLanguage()],
    queryFn: ({ signal }) => api.get<{ code: string; name: string }[]>('/api/cmdb/classes', undefined, signal),
    staleTime: 60_000,
  });

  const save = async () => {
    const v = await form.validateFields();
    const fishbone: Fishbone = {};
    for (const c of FISHBONE_CATEGORIES) {
      const causes = (v.fishbone?.[c] ?? []).map((x) => x.trim()).filter(Boolean);
      if (causes.length) {
        fishbone[c] = causes;
      }
    }
    const body: ProblemUpdate = {
      version: problem.version,
      rootCause: v.rootCause ?? '',
      fiveWhys: (v.fiveWhys ?? []).map((w) => ({ why: w.why ?? '', answer: w.answer ?? '' })),
      fishbone,
      workaround: v.workaround ?? '',
      permanentFix: v.permanentFix ?? '',
      match: { typeId: v.matchTypeId ?? null, ciClasses: v.matchClasses ?? [], ciIds: problem.match.ciIds ?? [], keywords: v.matchKeywords ?? [] },
    };
    try {
      await update.mutateAsync({ id: problem.id, body });
      void message.success(t('common.saved'));
    } catch (error) {
      if (error instanceof ApiError && error.code === 'YW_PROBLEM_VERSION_CONFLICT') {
        onConflict();
      }
      applyServerErrors(form, error, { 'match.typeId': 'matchTypeId', 'match.ciClasses': 'matchClasses', 'match.keywords': 'matchKeywords' });
      if (error instanceof Error) {
        void message.error(error.message);
      }
    }
  };

  return (
    <Form<Values> form={form} layout="vertical" initialValues={toValues(problem)} disabled={readOnly} name="problem-rca" data-testid="problem-rca">
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Card
          variant="borderless"
          title={t('problems.rca.title')}
          extra={
            !readOnly && (
              <Button type="primary" icon={<SaveOutlined />} loading={update.isPending} onClick={() => void save()} data-testid="problem-save">
                {t('common.save')}
              </Button>
            )
          }
        >
          <Typography.Title level={5}>{t('problems.rca.fiveWhys')}</Typography.Title>
          <Form.List name="fiveWhys">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field, i) => (
                  <Row key={field.key} gutter={8} align="top">
                    <Col flex="24px" style={{ paddingTop: 6 }}>
                      {i + 1}.
                    </Col>
                    <Col flex="1">
                      <Form.Item name={[field.name, 'why']} rules={[{ required: true, whitespace: true, message: t('problems.rca.whyRequired') }]}>
                        <Input placeholder={t('problems.rca.why')} data-testid={`problem-why-${i}`} />
                      </Form.Item>
                    </Col>
                    <Col flex="1">
                      <Form.Item name={[field.name, 'answer']}>
                        <Input placeholder={t('problems.rca.answer')} data-testid={`problem-answer-${i}`} />
                      </Form.Item>
                    </Col>
                    {!readOnly && (
                      <Col flex="24px" style={{ paddingTop: 6 }}>
                        <MinusCircleOutlined onClick={() => remove(field.name)} aria-label={t('common.delete')} />
                      </Col>
                    )}
                  </Row>
                ))}
                {!readOnly && fields.length < PROBLEM_LIMITS.whys && (
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ why: '', answer: '' })} data-testid="problem-add-why">
                    {t('problems.rca.addWhy')}
                  </Button>
                )}
              </>
            )}
          </Form.List>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('problems.rca.fishbone')}
          </Typography.Title>
          <Row gutter={[12, 0]}>
            {FISHBONE_CATEGORIES.map((c) => (
              <Col key={c} xs={24} md={12}>
                <Form.Item name={['fishbone', c]} label={names.category(c)}>
                  <Select mode="tags" open={false} placeholder={t('problems.rca.causePlaceholder')} data-testid={`problem-fishbone-${c}`} />
                </Form.Item>
              </Col>
            ))}
          </Row>
          <Form.Item name="rootCause" label={t('problems.field.rootCause')}>
            <Input.TextArea rows={3} data-testid="problem-root-cause" />
          </Form.Item>
        </Card>
        <Card variant="borderless" title={t('problems.knownError.section')}>
          <Form.Item name="workaround" label={t('problems.field.workaround')} extra={t('problems.workaroundHelp')}>
            <Input.TextArea rows={3} data-testid="problem-workaround" />
          </Form.Item>
          <Form.Item name="permanentFix" label={t('problems.field.permanentFix')}>
            <Input.TextArea rows={3} data-testid="problem-permanent-fix" />
          </Form.Item>
          <Typography.Paragraph type="secondary">{t('problems.matchHelp')}</Typography.Paragraph>
          <Row gutter={12}>
            <Col xs={24} md={8}>
              <Form.Item name="matchTypeId" label={t('problems.match.type')}>
                <Select allowClear showSearch optionFilterProp="label" options={(types.data ?? []).map((x) => ({ value: x.id, label: x.path }))} data-testid="problem-match-type" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="matchClasses" label={t('problems.match.classes')}>
                <Select mode="multiple" optionFilterProp="label" options={(classes.data ?? []).map((c) => ({ value: c.code, label: c.name }))} data-testid="problem-match-classes" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="matchKeywords" label={t('problems.match.keywords')}>
                <Select mode="tags" open={false} data-testid="problem-match-keywords" />
              </Form.Item>
            </Col>
          </Row>
        </Card>
      </Space>
    </Form>
  );
}
