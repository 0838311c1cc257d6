import type { ReactNode } from 'react';
import { Flex, Typography } from 'antd';

interface PlainListProps<T> {
  items: readonly T[];
  rowKey: (item: T) => string;
  render: (item: T) => ReactNode;
  /** Shown at the right of a row (e.g. the number of hops). */
  extra?: (item: T) => ReactNode;
  empty: ReactNode;
}

/** A compact bordered list (antd's List is deprecated in antd 6). */
export function PlainList<T>({ items, rowKey, render, extra, empty }: PlainListProps<T>) {
  if (items.length === 0) {
    return <Typography.Text type="secondary">{empty}</Typography.Text>;
  }
  return (
    <Flex vertical>
      {items.map((item, i) => (
        <Flex key={rowKey(item)} justify="space-between" align="center" gap={8} style={{ padding: '8px 0', borderTop: i ? '1px solid #f0f0f0' : undefined }}>
          <div style={{ minWidth: 0, flex: 1, overflowWrap: 'anywhere' }}>{render(item)}</div>
          {extra && <div style={{ flex: 'none' }}>{extra(item)}</div>}
        </Flex>
      ))}
    </Flex>
  );
}
