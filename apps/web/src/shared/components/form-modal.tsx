import type { ReactNode } from 'react';
import { Form, Modal, type FormProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutationForm, type MutationFormProps } from './mutation-form';

export interface FormModalProps<TValues, TResult> extends MutationFormProps<TValues, TResult> {
  /** The title (when creating). */
  title: ReactNode;
  /** The title when `editing`, usually naming the record ("编辑值班表：运维一线"). */
  editTitle?: ReactNode;
  /** The form's name: field ids are `<name>_<field>`. */
  name: string;
  /** Modal width in px (antd's default when absent). */
  width?: number;
  /** The OK button's text. Default 保存. */
  submitText?: string;
  testId?: string;
  formProps?: Omit<FormProps<TValues>, 'form' | 'name' | 'initialValues' | 'children'>;
  children: ReactNode;
}

/**
 * `FormDrawer`'s behaviour in a modal, for short forms (a name and a couple of settings):
 *
 * ```tsx
 * <FormModal<FormValues, CreatedToken> open={creating} name="token-form" title={t('token.createTitle')}
 *   submitText={t('token.createOk')} initialValues={{ expiresInDays: 90 }} success={null}
 *   onSubmit={(v) => create.mutateAsync(toBody(v))} onSaved={setCreated} onClose={() => setCreating(false)}>
 *   …Form.Items…
 * </FormModal>
 * ```
 */
export function FormModal<TValues, TResult>(props: FormModalProps<TValues, TResult>) {
  const { t } = useTranslation();
  const { form, submitting, submit, close } = useMutationForm(props);
  const { open, editing = false, title, editTitle, name, width, submitText, testId, formProps, initialValues, children } = props;
  return (
    <Modal
      open={open}
      title={editing ? (editTitle ?? title) : title}
      width={width}
      okText={submitText ?? t('common.save')}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={close}
      confirmLoading={submitting}
      forceRender
      data-testid={testId}
    >
      <Form<TValues> layout="vertical" {...formProps} form={form} name={name} initialValues={initialValues}>
        {children}
      </Form>
    </Modal>
  );
}
