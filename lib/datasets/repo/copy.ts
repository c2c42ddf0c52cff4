// The database side of an upload's binary COPY into `observation` (../copy-stream.ts streams the
// rows): one COPY open at a time on the load's connection, ended to let other statements in
// (rollups, new partitions) and opened again, all in the load's one transaction.
import "server-only";
import { once } from "node:events";
import { from as copyFrom } from "pg-copy-streams";
import { COPY_BINARY_HEADER, COPY_BINARY_TRAILER } from "../copy-binary";
import type { LoadTx } from "./load";

/** The observation COPY of one load, its columns in the order the rows are encoded. */
export class ObservationCopy {
  private readonly sql: string;
  private copy: ReturnType<typeof copyFrom> | null = null;
  private done: Promise<void> | null = null;

  constructor(
    private readonly tx: LoadTx,
    columns: string[],
  ) {
    this.sql = `copy observation (${columns.map((c) => `"${c}"`).join(", ")}) from stdin with (format binary)`;
  }

  /** Starts a COPY (the previous one ended) with the binary header. */
  open(): void {
    const copy = this.tx.query(copyFrom(this.sql));
    this.copy = copy;
    copy.on("error", () => undefined);
    this.done = once(copy, "finish").then(() => undefined);
    this.done.catch(() => undefined);
    copy.write(COPY_BINARY_HEADER);
  }

  /** Hands encoded rows over, without waiting (rows held while the COPY was closed). */
  put(chunk: Buffer): void {
    this.copy!.write(chunk);
  }

  /** Hands encoded rows over, waiting while COPY is behind. */
  async write(chunk: Buffer): Promise<void> {
    if (!this.copy!.write(chunk)) await once(this.copy!, "drain");
  }

  /** Ends the COPY, with `last` rows (when given) and the trailer. */
  async end(last?: Buffer): Promise<void> {
    if (last && last.length > 0) this.copy!.write(last);
    this.copy!.end(COPY_BINARY_TRAILER);
    await this.done;
  }

  /** Ends an unfinished COPY with CopyFail, so the connection can roll back. */
  async abort(): Promise<void> {
    const copy = this.copy;
    if (!copy || copy.writableFinished || copy.destroyed) return;
    const closed = once(copy, "close").catch(() => undefined);
    copy.destroy(new Error("upload refused"));
    await closed;
  }
}
