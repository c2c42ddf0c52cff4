"use client";

import {
  flexRender,
  tableFeatures,
  useTable,
  type CellData,
  type ColumnDef,
  type RowData,
  type TableFeatures,
} from "@tanstack/react-table";
import { EmptyRow, TBody, Table, Td, Th, THead, Tr } from "./table";

export const basicFeatures = tableFeatures({});
export type BasicColumn<T extends RowData> = ColumnDef<typeof basicFeatures, T>;

declare module "@tanstack/react-table" {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the parameters must match TanStack's declaration
  interface ColumnMeta<TFeatures extends TableFeatures, TData extends RowData, TValue extends CellData = CellData> {
    /** A column of numbers: right-aligned header and cells in tabular figures (the kit's `numeric`). */
    numeric?: boolean;
  }
}

/**
 * A headless TanStack table rendered through the table kit (components/tables/table.tsx), so it
 * looks like every server-rendered table; paging and filtering are server-side.
 */
export function DataTable<T extends RowData>({
  columns,
  data,
  empty,
  testId,
  label,
  rowId,
}: {
  columns: BasicColumn<T>[];
  data: T[];
  empty: string;
  testId?: string;
  label?: string;
  /** A stable key per row (rows holding forms keep their state across a refresh); the index otherwise. */
  rowId?: (row: T) => string;
}) {
  const table = useTable({
    features: basicFeatures,
    columns,
    data,
    ...(rowId ? { getRowId: (row: T) => rowId(row) } : {}),
  });
  // The house tables have flat columns: one header row, the leaf headers.
  const headers = table.getHeaderGroups().at(-1)?.headers ?? [];
  const rows = table.getRowModel().rows;
  return (
    <Table label={label ?? "Table"} testId={testId}>
      <THead>
        {headers.map((header) => (
          <Th key={header.id} numeric={header.column.columnDef.meta?.numeric}>
            {header.isPlaceholder ? null : flexRender(header.column.columnDef.header, header.getContext())}
          </Th>
        ))}
      </THead>
      <TBody>
        {rows.length === 0 ? (
          <EmptyRow columns={columns.length}>{empty}</EmptyRow>
        ) : (
          rows.map((row) => (
            <Tr key={row.id}>
              {row.getAllCells().map((cell) => (
                <Td key={cell.id} numeric={cell.column.columnDef.meta?.numeric}>
                  {flexRender(cell.column.columnDef.cell, cell.getContext())}
                </Td>
              ))}
            </Tr>
          ))
        )}
      </TBody>
    </Table>
  );
}
