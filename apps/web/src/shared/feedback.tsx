import { App } from 'antd';

type AppApi = ReturnType<typeof App.useApp>;

/**
 * antd's message / notification / modal bound to the app's ConfigProvider (theme, locale), usable
 * outside components (e.g. from the query client's global error handler).
 */
export const feedback: { current: AppApi | null } = { current: null };

/** Mount once inside antd's <App>. */
export function FeedbackBridge() {
  feedback.current = App.useApp();
  return null;
}

export function showError(text: string): void {
  void feedback.current?.message.error(text);
}

export function showWarning(text: string): void {
  void feedback.current?.message.warning(text);
}
