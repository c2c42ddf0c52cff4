"use client";

import { flexRender, tableFeatures, useTable, type ColumnDef, type RowData } from "@tanstack/react-table";

export const basicFeatures = tableFeatures({});
export type BasicColumn<T extends RowData> = ColumnDef<typeof basicFeatures, T>;

/** A headless TanStack table rendered with the house styles; paging and filtering are server-side. */
export function DataTable<T extends RowData>({
  columns,
  data,
  empty,
  testId,
  label,
}: {
  columns: BasicColumn<T>[];
  data: T[];
  empty: string;
  testId?: string;
  label?: string;
}) {
  const table = useTable({ features: basicFeatures, columns, data });
  return (
    // Focusable, so a keyboard user can scroll a table wider than the screen.
    <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={label ?? "Table"}>
      <table className="min-w-full text-sm" data-testid={testId}>
        <thead className="border-b border-slate-200 text-left text-xs text-slate-500">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <th key={header.id} className="px-2 py-2 font-medium whitespace-nowrap">
                  {header.isPlaceholder ? null : flexRender(header.column.columnDef.header, header.getContext())}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody className="divide-y divide-slate-100">
          {table.getRowModel().rows.length === 0 ? (
            <tr>
              <td colSpan={columns.length} className="px-2 py-6 text-center text-slate-500">
                {empty}
              </td>
            </tr>
          ) : (
            table.getRowModel().rows.map((row) => (
              <tr key={row.id} className="align-top hover:bg-slate-50">
                {row.getAllCells().map((cell) => (
                  <td key={cell.id} className="px-2 py-1.5">
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
