import { isValidElement, useState, type Key, type MouseEvent, type ReactNode } from 'react';
import { Card, Checkbox, Empty, Flex, Pagination, Spin, Typography, type TableColumnType, type TableProps } from 'antd';

/** How a row becomes a card: columns named by their `key` (or `dataIndex` when it has no key). */
export interface CardLayout<T> {
  /** The column whose cell is the card's title (usually the name, as a link). */
  title: string;
  /** The columns shown as a line of tags under the title (e.g. severity, status). */
  badges?: readonly string[];
  /** The columns shown under the title as "label  value" lines, in this order (default: all the others). */
  fields?: readonly string[];
  /** The column holding the row's actions, shown at the card's foot. */
  actions?: string;
  /** Tapping the card (outside its links and buttons) opens the row. */
  onOpen?: (row: T) => void;
}

type Column<T> = TableColumnType<T>;

export function columnId<T>(column: Column<T>): string {
  if (column.key !== undefined) {
    return String(column.key);
  }
  const index = column.dataIndex as string | number | readonly (string | number)[] | undefined;
  return Array.isArray(index) ? index.join('.') : String(index ?? '');
}

/** What the table would show in the column's cell for this row (rc-table: no dataIndex = the row). */
function cellOf<T>(column: Column<T>, row: T, index: number): ReactNode {
  const raw = column.dataIndex as string | number | readonly (string | number)[] | undefined;
  const path = raw === undefined || raw === '' ? [] : Array.isArray(raw) ? raw : [raw as string | number];
  const value: unknown = path.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | null | undefined)?.[k], row);
  const shown: unknown = column.render ? column.render(value, row, index) : value;
  // A render may return { children, props } (cell spans), as rc-table allows.
  if (shown && typeof shown === 'object' && !isValidElement(shown) && 'children' in shown) {
    return (shown as { children: ReactNode }).children;
  }
  return shown as ReactNode;
}

function keyOf<T>(rowKey: TableProps<T>['rowKey'], row: T, index: number): Key {
  if (typeof rowKey === 'function') {
    return rowKey(row, index);
  }
  return (row as Record<string, Key>)[(rowKey as string | undefined) ?? 'key'] ?? index;
}

/** Taps on the card's own links, buttons and checkboxes do what they say, not open the row. */
const isControl = (event: MouseEvent) => (event.target as HTMLElement).closest('a,button,input,label,.ant-tag,.ant-select') !== null;

/** A table's rows as a column of cards (a phone has no room for columns). Same props as the table. */
export function RowCards<T extends object>({ columns = [], dataSource = [], rowKey, loading, pagination, rowSelection, locale, onChange, cards, ...rest }: TableProps<T> & { cards: CardLayout<T> }) {
  const all = (columns as Column<T>[]).filter((c) => !('children' in c));
  const byId = new Map(all.map((c) => [columnId(c), c]));
  const fieldIds = cards.fields ?? all.map((c) => columnId(c)).filter((id) => id !== cards.title && id !== cards.actions && !cards.badges?.includes(id));
  const fields = fieldIds.flatMap((id) => byId.get(id) ?? []);
  const [localPage, setLocalPage] = useState(1);

  const paging = pagination === false ? null : (pagination ?? {});
  const pageSize = paging?.pageSize ?? paging?.defaultPageSize ?? 10;
  const current = paging?.current ?? localPage;
  // Rows beyond a page are paged here (as the table does when it is given every row).
  const rows = paging && dataSource.length > pageSize ? dataSource.slice((current - 1) * pageSize, current * pageSize) : dataSource;
  const total = paging?.total ?? dataSource.length;
  /** Where this page's rows start in `dataSource` (0 when the server sent only this page). */
  const offset = rows === dataSource ? 0 : (current - 1) * pageSize;
  const changePage = (page: number, size: number) => {
    setLocalPage(page);
    paging?.onChange?.(page, size);
    onChange?.({ ...paging, current: page, pageSize: size }, {}, [], { action: 'paginate', currentDataSource: [...dataSource] });
  };

  const selected = new Set(rowSelection?.selectedRowKeys ?? []);
  const select = (key: Key, checked: boolean) => {
    const keys = checked ? [...selected, key] : [...selected].filter((k) => k !== key);
    const chosen = dataSource.filter((row, i) => keys.includes(keyOf(rowKey, row, i)));
    rowSelection?.onChange?.(keys, chosen, { type: 'single' });
  };

  const spinning = typeof loading === 'object' ? Boolean(loading.spinning) : Boolean(loading);
  // A list's own empty state (ListTable's, with its next step) is shown as it is, not wrapped again.
  const emptyText: ReactNode = typeof locale?.emptyText === 'function' ? locale.emptyText() : (locale?.emptyText ?? undefined);
  const testId = (rest as Record<string, unknown>)['data-testid'] as string | undefined;
  return (
    <Spin spinning={spinning}>
      <Flex vertical gap={8} data-testid={testId} data-layout="cards">
        {rows.length === 0 && (isValidElement(emptyText) ? emptyText : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={emptyText} />)}
        {rows.map((row, index) => {
          const key = keyOf(rowKey, row, offset + index);
          const title = byId.get(cards.title);
          const actions = cards.actions ? byId.get(cards.actions) : undefined;
          const checkbox = rowSelection?.getCheckboxProps?.(row);
          return (
            <Card
              key={key}
              size="small"
              className="yw-row-card"
              hoverable={Boolean(cards.onOpen)}
              onClick={cards.onOpen ? (event) => !isControl(event) && cards.onOpen!(row) : undefined}
              data-testid="row-card"
              data-row-key={String(key)}
            >
              <Flex gap={8} align="flex-start">
                {rowSelection && (
                  <Checkbox
                    className="yw-row-card-check"
                    checked={selected.has(key)}
                    disabled={checkbox?.disabled}
                    onChange={(e) => select(key, e.target.checked)}
                    aria-label={String(key)}
                  />
                )}
                <Flex vertical gap={6} style={{ flex: 1, minWidth: 0 }}>
                  <div style={{ overflow: 'hidden', fontWeight: 500, overflowWrap: 'anywhere' }}>{title && cellOf(title, row, index)}</div>
                  {/* Under the title, not beside it: two tags beside a long name leave neither room. */}
                  {cards.badges && (
                    <Flex gap={4} wrap className="yw-row-card-badges">
                      {cards.badges.map((id) => {
                        const column = byId.get(id);
                        return column ? <span key={id}>{cellOf(column, row, index)}</span> : null;
                      })}
                    </Flex>
                  )}
                </Flex>
              </Flex>
              {fields.length > 0 && (
                <dl className="yw-row-card-fields">
                  {fields.map((column) => (
                    <div key={columnId(column)} style={{ display: 'contents' }}>
                      <dt>
                        <Typography.Text type="secondary">{typeof column.title === 'function' ? null : column.title}</Typography.Text>
                      </dt>
                      <dd>{cellOf(column, row, index)}</dd>
                    </div>
                  ))}
                </dl>
              )}
              {actions && <div className="yw-row-card-actions">{cellOf(actions, row, index)}</div>}
            </Card>
          );
        })}
        {/* One page needs no pager (on a phone it would only push the content down). */}
        {paging && total > pageSize && (
          <Pagination simple align="center" current={current} pageSize={pageSize} total={total} onChange={changePage} showSizeChanger={false} />
        )}
      </Flex>
    </Spin>
  );
}
