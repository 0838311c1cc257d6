import { useCallback, useEffect, useRef } from 'react';
import { App } from 'antd';
import { useBlocker, type BlockerFunction } from 'react-router';
import { useTranslation } from 'react-i18next';

/**
 * A page with unsaved changes asks before it is left: another page of the app (继续编辑 / 放弃修改, the
 * same question the form drawers ask) or the browser's own prompt on reload / close.
 * `dirty` false (nothing changed) lets every navigation through; call the returned `release()` right
 * before navigating away after a save (the page re-renders with `dirty` false only after that), and
 * `hold()` when that save failed.
 */
export function useUnsavedGuard(dirty: boolean): { release: () => void; hold: () => void } {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  const dirtyRef = useRef(dirty);
  const released = useRef(false);
  useEffect(() => {
    dirtyRef.current = dirty;
    if (dirty) {
      released.current = false;
    }
  }, [dirty]);
  const blocker = useBlocker(
    useCallback<BlockerFunction>(({ currentLocation, nextLocation }) => dirtyRef.current && !released.current && currentLocation.pathname !== nextLocation.pathname, []),
  );

  useEffect(() => {
    if (blocker.state !== 'blocked') {
      return;
    }
    modal.confirm({
      title: t('common.discardTitle'),
      content: t('library.editor.discardContent'),
      okText: t('common.discard'),
      cancelText: t('common.keepEditing'),
      okButtonProps: { danger: true, 'data-testid': 'discard-changes' },
      onOk: () => blocker.proceed(),
      onCancel: () => blocker.reset(),
    });
  }, [blocker, modal, t]);

  useEffect(() => {
    if (!dirty) {
      return;
    }
    const ask = (event: BeforeUnloadEvent) => {
      event.preventDefault();
    };
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [dirty]);

  return {
    release: useCallback(() => {
      released.current = true;
    }, []),
    /** Guard again (the save that released it failed). */
    hold: useCallback(() => {
      released.current = false;
    }, []),
  };
}
