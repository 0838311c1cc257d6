import { Table, type TableProps } from 'antd';
import { useIsPhone } from '../use-is-phone';
import { RowCards, type CardLayout } from './row-cards';

export type { CardLayout } from './row-cards';

/**
 * A list that is a table on a desktop and a column of cards on a phone, from the same columns:
 * `cards` says which column is each card's title, which are its badges, fields and actions.
 * Paging, selection, loading and the empty text work the same in both.
 */
export function ResponsiveTable<T extends object>({ cards, ...table }: TableProps<T> & { cards?: CardLayout<T> }) {
  const phone = useIsPhone();
  // Without a card layout a phone gets the table, scrolling sideways inside its card (global.css).
  if (phone && cards) {
    return <RowCards<T> {...table} cards={cards} />;
  }
  return <Table<T> {...table} />;
}
