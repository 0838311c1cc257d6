import type { ReactNode } from 'react';
import { Button, Popconfirm, type ButtonProps } from 'antd';
import { useTranslation } from 'react-i18next';
import i18n from '../app/i18n';
import { reportError } from '../app/query-client';
import { feedback } from './feedback';

export interface ConfirmMutationOptions<T> {
  /** The question, naming what is affected: "删除值班表「运维一线」？". */
  title: ReactNode;
  /** What follows from it, when the title alone does not say. */
  description?: ReactNode;
  /** The confirming button's text, the action's verb ("删除", "撤销"): never a bare "OK". */
  okText: string;
  /** A destructive action: a red confirming button. Default true. */
  danger?: boolean;
  /** The change, usually `() => mutation.mutateAsync(vars)`. */
  run: () => Promise<T>;
  /** The success toast; null for none; a function when it tells what the change did ("已确认 3 条告警"). */
  success: string | null | ((result: T) => string);
  /** After success (e.g. clear a selection that pointed at a deleted row). */
  onDone?: (result: T) => void;
}

/**
 * Runs a change and tells the user how it went: the success toast, or the server's localised message
 * (`reportError`, shown once even though the mutation's global handler saw it first). Never rejects.
 */
export async function runWithFeedback<T>({ run, success, onDone }: Pick<ConfirmMutationOptions<T>, 'run' | 'success' | 'onDone'>): Promise<void> {
  let result: T;
  try {
    result = await run();
  } catch (error) {
    reportError(error);
    return;
  }
  if (success) {
    void feedback.current?.message.success(typeof success === 'function' ? success(result) : success);
  }
  onDone?.(result);
}

/**
 * Asks in a modal (Modal.confirm), then runs the change with `runWithFeedback`; the dialog's button
 * spins until it settles. For actions started from a menu, where no button can anchor a Popconfirm.
 *
 * ```ts
 * confirmAndRun({ title: t('user.unlockConfirm', { name }), okText: t('user.unlock'), danger: false,
 *   run: () => unlock.mutateAsync(user.id), success: t('user.unlocked', { name }) });
 * ```
 */
export function confirmAndRun<T>({ title, description, okText, danger = true, ...change }: ConfirmMutationOptions<T>): void {
  feedback.current?.modal.confirm({
    title,
    content: description,
    okText,
    cancelText: i18n.t('common.cancel'),
    okButtonProps: { danger },
    onOk: () => runWithFeedback(change),
  });
}

export interface ConfirmButtonProps<T> extends ConfirmMutationOptions<T> {
  /** The button's text ("删除"). */
  label: ReactNode;
  icon?: ReactNode;
  /** 'link' (default, small: a table's row action) or 'default' (a card's toolbar). */
  variant?: 'link' | 'default';
  disabled?: boolean;
  testId?: string;
  buttonProps?: Omit<ButtonProps, 'onClick' | 'type' | 'danger' | 'icon' | 'disabled'>;
}

/**
 * A button behind a Popconfirm that runs a change with `runWithFeedback`; the confirm button spins
 * while it runs. The row action of lists:
 *
 * ```tsx
 * <ConfirmButton label={t('common.delete')} title={t('oncall.deleteConfirm', { name: s.name })} okText={t('common.delete')}
 *   run={() => remove.mutateAsync(s.id)} success={t('common.deleted')} />
 * ```
 */
export function ConfirmButton<T>({ label, icon, variant = 'link', disabled, testId, buttonProps, title, description, okText, danger = true, ...change }: ConfirmButtonProps<T>) {
  const { t } = useTranslation();
  return (
    <Popconfirm
      title={title}
      description={description}
      okText={okText}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger }}
      disabled={disabled}
      onConfirm={() => runWithFeedback(change)}
    >
      <Button {...buttonProps} type={variant === 'link' ? 'link' : 'default'} size={variant === 'link' ? 'small' : undefined} danger={danger} icon={icon} disabled={disabled} data-testid={testId}>
        {label}
      </Button>
    </Popconfirm>
  );
}
