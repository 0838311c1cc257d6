import type { ReactNode } from 'react';
import { Button, Drawer, Form, Space, type FormProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutationForm, type MutationFormProps } from './mutation-form';

export interface FormDrawerProps<TValues, TResult> extends MutationFormProps<TValues, TResult> {
  /** The title (when creating). */
  title: ReactNode;
  /** The title when `editing`, usually naming the record ("编辑值班表：运维一线"). */
  editTitle?: ReactNode;
  /** The form's name: field ids are `<name>_<field>` (what labels and tests find). */
  name: string;
  /** Drawer width in px. Default 600. */
  width?: number;
  /** The submit button's text. Default 保存. */
  submitText?: string;
  /** data-testid of the drawer; the submit button gets `<testId>-submit`. */
  testId?: string;
  /**
   * More header buttons, between 取消 and 保存, for what the form does besides saving (e.g. the rule
   * form's 预览: it validates through the `form` you pass and shows its result among the fields).
   */
  actions?: ReactNode;
  /** Only shown (a built-in record, no permission to change it): fields disabled, no 保存, 关闭 instead of 取消. */
  readOnly?: boolean;
  /** Other antd Form props (layout defaults to vertical). */
  formProps?: Omit<FormProps<TValues>, 'form' | 'name' | 'initialValues' | 'children'>;
  children: ReactNode;
}

/**
 * A create/edit drawer bound to a change: 取消 / 保存 in the header (保存 spins while it runs), the
 * server's field errors on the fields, a toast and closing on success, a question before closing a
 * changed form. For forms with more than a few fields; `FormModal` is the same for short ones.
 *
 * ```tsx
 * <FormDrawer<FormValues, Schedule>
 *   open={editing !== undefined} editing={!!schedule} name="schedule-form" testId="schedule-form" width={720}
 *   title={t('oncall.createTitle')} editTitle={t('oncall.editTitle', { name: schedule?.name })}
 *   initialValues={schedule ? toValues(schedule) : { timeZone: DEFAULT_TIME_ZONE }}
 *   onSubmit={(v) => (schedule ? update.mutateAsync({ id: schedule.id, body: toBody(v) }) : create.mutateAsync(toBody(v)))}
 *   onSaved={(s) => setSelectedId(s.id)} onClose={() => setEditing(undefined)}>
 *   <Form.Item name="name" label={t('oncall.field.name')} rules={[{ required: true }]}><Input /></Form.Item>
 * </FormDrawer>
 * ```
 */
export function FormDrawer<TValues, TResult>(props: FormDrawerProps<TValues, TResult>) {
  const { t } = useTranslation();
  const { form, submitting, submit, close } = useMutationForm(props);
  const { open, editing = false, title, editTitle, name, width = 600, submitText, testId, actions, readOnly = false, formProps, initialValues, children } = props;
  return (
    <Drawer
      open={open}
      title={editing ? (editTitle ?? title) : title}
      size={width}
      onClose={close}
      forceRender
      extra={
        <Space>
          <Button onClick={close}>{readOnly ? t('common.close') : t('common.cancel')}</Button>
          {!readOnly && actions}
          {!readOnly && (
            <Button type="primary" loading={submitting} onClick={submit} data-testid={testId && `${testId}-submit`}>
              {submitText ?? t('common.save')}
            </Button>
          )}
        </Space>
      }
      data-testid={testId}
    >
      <Form<TValues> layout="vertical" disabled={readOnly} {...formProps} form={form} name={name} initialValues={initialValues}>
        {children}
      </Form>
    </Drawer>
  );
}
