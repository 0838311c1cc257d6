import { Fragment, useEffect, useRef, useState, type ReactNode } from 'react';
import { Button, Card, Empty, Flex, Input, Select, type TableProps } from 'antd';
import { useTranslation } from 'react-i18next';
import type { UrlFilters } from '../use-url-filters';
import { PageContainer } from './page-container';
import { ResponsiveTable, type CardLayout } from './responsive-table';

/** One control of the filter bar, bound to a filter of `useUrlFilters`. */
export type FilterItem<K extends string> =
  | { key: K; type: 'search'; placeholder: string; width?: number }
  | { key: K; type: 'select'; placeholder: string; options: { value: string; label: ReactNode }[]; width?: number }
  /** Any other control (a tree of units, a user picker): given the filter's value ('' = not set) and its setter. */
  | { key: K; type: 'custom'; render: (value: string, set: (value: string) => void) => ReactNode };

export interface ListFilters<K extends string> {
  state: UrlFilters<K>;
  items: FilterItem<K>[];
}

/** What an empty list says when nothing exists yet: what the list is for and what to do first. */
export interface EmptyState {
  description: ReactNode;
  /** The first step (a button or a link); leave it out for readers who cannot take it. */
  action?: ReactNode;
}

export interface ListTableProps<Row, K extends string = string> extends TableProps<Row> {
  /** Controls above the table, their values in the URL (`useUrlFilters`). */
  filters?: ListFilters<K>;
  empty: EmptyState;
  /** How each row reads as a card on a phone; without it a phone gets the table, scrolling sideways. */
  cards?: CardLayout<Row>;
}

/** How long typing pauses before a search box's text becomes the filter (one query per pause, not per key). */
const SEARCH_PAUSE_MS = 300;

/** A search box that writes its filter when typing pauses, at once on Enter or clear; follows the URL (back, 清除筛选). */
function SearchFilter({ value, onSearch, placeholder, width, testId }: { value: string; onSearch: (value: string) => void; placeholder: string; width?: number; testId: string }) {
  const [text, setText] = useState(value);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => setText(value), [value]);
  useEffect(() => () => clearTimeout(timer.current), []);
  const write = (next: string, delay: number) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => next !== value && onSearch(next), delay);
  };
  return (
    <Input.Search
      allowClear
      placeholder={placeholder}
      value={text}
      onChange={(event) => {
        setText(event.target.value);
        write(event.target.value, event.target.value === '' ? 0 : SEARCH_PAUSE_MS);
      }}
      onSearch={(next) => write(next, 0)}
      style={{ width: width ?? 260 }}
      data-testid={testId}
    />
  );
}

/** Search boxes and selects whose values live in the URL. */
export function FilterBar<K extends string>({ state, items }: ListFilters<K>) {
  return (
    <Flex wrap gap={8} data-testid="list-filters">
      {items.map((item) =>
        item.type === 'custom' ? (
          <Fragment key={item.key}>{item.render(state.values[item.key], (value) => state.set({ [item.key]: value } as Partial<Record<K, string>>))}</Fragment>
        ) : item.type === 'search' ? (
          <SearchFilter
            key={item.key}
            placeholder={item.placeholder}
            value={state.values[item.key]}
            onSearch={(value) => state.set({ [item.key]: value } as Partial<Record<K, string>>)}
            width={item.width}
            testId={`filter-${item.key}`}
          />
        ) : (
          <Select
            key={item.key}
            allowClear
            placeholder={item.placeholder}
            options={item.options}
            value={state.values[item.key] || undefined}
            onChange={(value?: string) => state.set({ [item.key]: value ?? '' } as Partial<Record<K, string>>)}
            style={{ width: item.width ?? 160 }}
            data-testid={`filter-${item.key}`}
          />
        ),
      )}
    </Flex>
  );
}

/**
 * A table with its filter bar and two different empty states: nothing exists yet (what to do next)
 * and nothing matches the filters (offer to clear them); cards on a phone when `cards` says how.
 * Every other prop goes to antd's Table.
 */
export function ListTable<Row extends object, K extends string = string>({ filters, empty, locale, ...table }: ListTableProps<Row, K>) {
  const { t } = useTranslation();
  const loading = typeof table.loading === 'object' ? table.loading.spinning : table.loading;
  const emptyText = loading ? (
    // Neither "nothing yet" nor "no match" is true before the rows arrive.
    <div style={{ height: 96 }} />
  ) : filters?.state.active ? (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common.noFilterMatch')} data-testid="list-no-match">
      <Button onClick={filters.state.clear} data-testid="list-clear-filters">
        {t('common.clearFilters')}
      </Button>
    </Empty>
  ) : (
    <Empty description={empty.description} data-testid="list-empty">
      {empty.action}
    </Empty>
  );
  const content = <ResponsiveTable<Row> {...table} locale={{ ...locale, emptyText }} />;
  return filters ? (
    <Flex vertical gap={12}>
      <FilterBar {...filters} />
      {content}
    </Flex>
  ) : (
    content
  );
}

/** The page's main action: in the header, and as the first step in the empty state. */
export interface PrimaryAction {
  label: string;
  /** The empty state's button text when it reads better there ("创建第一个令牌"). */
  emptyLabel?: string;
  icon?: ReactNode;
  onClick: () => void;
  testId?: string;
}

export interface ListPageProps<Row, K extends string = string> extends Omit<ListTableProps<Row, K>, 'empty' | 'title'> {
  title: ReactNode;
  description?: ReactNode;
  pageTestId?: string;
  /** Omit when the user may not take it (no permission): neither button is shown then. */
  primaryAction?: PrimaryAction;
  /** Secondary header buttons, before the primary one (e.g. 刷新). */
  extra?: ReactNode;
  /** What the empty list says; its button is the primary action. */
  emptyDescription: ReactNode;
  /** Drawers and modals the page opens. */
  children?: ReactNode;
}

/**
 * A page that is one list: header (title, description, buttons), filters in the URL, the table, the
 * empty states. Pages with several lists use `PageContainer` + `Card` + `ListTable` instead.
 *
 * ```tsx
 * const filters = useUrlFilters({ state: TOKEN_STATES, q: 'text' });
 * <ListPage<ApiToken, 'state' | 'q'> title={t('nav.items.tokens')} pageTestId="token-list-page"
 *   primaryAction={{ label: t('token.create'), emptyLabel: t('token.createFirst'), icon: <PlusOutlined />, onClick: () => setCreating(true) }}
 *   emptyDescription={t('token.empty')}
 *   filters={{ state: filters, items: [{ key: 'q', type: 'search', placeholder: t('token.filter.search') }] }}
 *   rowKey="id" columns={columns} dataSource={rows} loading={isFetching}>
 *   <TokenCreateModal … />
 * </ListPage>
 * ```
 */
export function ListPage<Row extends object, K extends string = string>({ title, description, pageTestId, primaryAction, extra, emptyDescription, children, ...table }: ListPageProps<Row, K>) {
  const button = (place: 'header' | 'empty') =>
    primaryAction && (
      <Button type="primary" icon={primaryAction.icon} onClick={primaryAction.onClick} data-testid={primaryAction.testId && (place === 'header' ? primaryAction.testId : `${primaryAction.testId}-empty`)}>
        {place === 'empty' ? (primaryAction.emptyLabel ?? primaryAction.label) : primaryAction.label}
      </Button>
    );
  return (
    <PageContainer
      title={title}
      description={description}
      testId={pageTestId}
      extra={
        (extra || primaryAction) && (
          <>
            {extra}
            {button('header')}
          </>
        )
      }
    >
      <Card variant="borderless">
        <ListTable<Row, K> {...table} empty={{ description: emptyDescription, action: button('empty') }} />
      </Card>
      {children}
    </PageContainer>
  );
}
