import { useEffect, useState } from 'react';
import { App, Form, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { reportError } from '../../app/query-client';
import { applyServerErrors } from '../form-errors';

/**
 * Where the server's field errors (4xx naming `body.<path>`) go: a rename map for
 * `applyServerErrors` (`{ start: 'period' }`), or a function for forms laid out unlike the body.
 */
export type FieldErrorMapping<TValues> = Record<string, string> | ((form: FormInstance<TValues>, error: unknown) => void);

/** What `FormDrawer` and `FormModal` share: a form bound to one change (a mutation). */
export interface MutationFormProps<TValues, TResult> {
  open: boolean;
  /** Editing an existing record (title, default toast) rather than creating one. */
  editing?: boolean;
  /** Pass your own when the fields need it (`Form.useWatch`, `setFieldValue`); else one is made. */
  form?: FormInstance<TValues>;
  /** The form is reset to these each time it opens (antd Form `initialValues`). */
  initialValues?: Partial<TValues> | Record<string, unknown>;
  /** Turns the validated values into the change, e.g. `(v) => create.mutateAsync(toBody(v))`. */
  onSubmit: (values: TValues) => Promise<TResult>;
  /** The success toast; default 创建成功 / 保存成功; null for none (e.g. the next screen shows a one-time secret). */
  success?: string | null;
  /** After success; the form closes itself. */
  onSaved?: (result: TResult) => void;
  onClose: () => void;
  fieldErrors?: FieldErrorMapping<TValues>;
  /** Ask before closing a form the user has changed. Default true. */
  confirmDiscard?: boolean;
}

/**
 * The behaviour behind FormDrawer/FormModal: reset on open; validate → submit → toast → close; on a
 * failure the server's field errors go on the fields and its message is shown once; closing a
 * changed form asks first.
 */
export function useMutationForm<TValues, TResult>(props: MutationFormProps<TValues, TResult>) {
  const { open, editing = false, onSubmit, onSaved, onClose, fieldErrors, confirmDiscard = true } = props;
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const [ownForm] = Form.useForm<TValues>();
  const form = props.form ?? ownForm;
  const [submitting, setSubmitting] = useState(false);
  const success = props.success === undefined ? t(editing ? 'common.saved' : 'common.created') : props.success;

  useEffect(() => {
    if (open) {
      form.resetFields();
    }
  }, [open, form]);

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) {
      return;
    }
    setSubmitting(true);
    try {
      const result = await onSubmit(values);
      if (success) {
        void message.success(success);
      }
      onClose();
      onSaved?.(result);
    } catch (error) {
      if (typeof fieldErrors === 'function') {
        fieldErrors(form, error);
      } else {
        applyServerErrors(form, error, fieldErrors);
      }
      reportError(error);
    } finally {
      setSubmitting(false);
    }
  };

  const close = () => {
    if (!confirmDiscard || !form.isFieldsTouched()) {
      onClose();
      return;
    }
    modal.confirm({
      title: t('common.discardTitle'),
      content: t('common.discardContent'),
      okText: t('common.discard'),
      cancelText: t('common.keepEditing'),
      okButtonProps: { danger: true },
      onOk: onClose,
    });
  };

  return { form, submitting, submit: () => void submit(), close };
}
