// A CSV upload, streamed end to end in one transaction: bytes → strict UTF-8 → papaparse records →
// checked rows → binary COPY into `observation` (copy-stream.ts), with the SHA-256 of the bytes
// computed on the way and the version's hourly and daily rollups accumulated as the rows pass.
// The version row is written 'loading' first (observations point at it) and marked 'ready' once,
// at the end (repo/load.ts). Identical bytes return the existing version; a refused upload leaves
// nothing behind but its audit event.
import "server-only";
import { createHash } from "node:crypto";
import { recordAuditAlone, recordAuditSql } from "@/lib/audit/record-audit";
import { env } from "@/lib/env";
import { AppError } from "@/lib/http/app-error";
import { streamRows } from "./copy-stream";
import { CsvFormatError, utf8Guard, type ByteTap } from "./csv-records";
import type { LoadInput, LoadResult } from "./load-input";
import { givenOptions, mergeOptions } from "./import-options";
import { fromFormatError } from "./load-problems";
import {
  inLoadTransaction,
  lockDataset,
  markVersionReady,
  openVersion,
  overlapWarnings,
  readyVersionWithHash,
  savedImportOptions,
} from "./repo/load";

export type { LoadInput, LoadResult } from "./load-input";

export async function loadDataset(input: LoadInput): Promise<LoadResult> {
  const hash = createHash("sha256");
  const tap: ByteTap = { bytes: 0, onChunk: (chunk) => hash.update(chunk) };
  const text = input.source.pipe(utf8Guard(env().DATASET_MAX_BYTES, tap));
  input.source.on("error", (error) => text.destroy(error));
  // Errors surface through csvRecords; until it listens, none may go unhandled.
  text.on("error", () => undefined);
  // Set inside the transaction's work (a cast: the compiler does not see assignments in a callback).
  let refusal = null as { detail: string; problems: number } | null;
  try {
    return await inLoadTransaction<LoadResult>(async (tx) => {
      const dataset = await lockDataset(tx, input);
      const { versionId, version } = await openVersion(tx, dataset.id, input);
      // Options omitted: the dataset's saved ones; those given override them (and are saved in turn).
      const given = givenOptions(input.options ?? {});
      const options = mergeOptions(await savedImportOptions(tx, dataset.id), given);
      const outcome = await streamRows(tx, text, input, versionId, {
        options,
        strictMapping: given.mapping !== undefined,
      });
      if (outcome.kind === "refused") {
        refusal = { detail: outcome.error.message, problems: outcome.total };
        throw outcome.error;
      }
      const sha256 = hash.digest("hex");
      const existing = await readyVersionWithHash(tx, dataset.id, sha256);
      if (existing)
        return {
          commit: false,
          result: { created: false, datasetId: dataset.id, versionId: existing.id, version: existing.version },
        };
      const { stats } = outcome;
      stats.warnings = [
        ...stats.warnings,
        ...(await overlapWarnings(tx, input.tenantId, dataset.id, versionId, stats.timeStart, stats.timeEnd)),
      ];
      await markVersionReady(tx, versionId, { sha256, bytes: tap.bytes }, stats);
      await recordAuditSql(tx, {
        actor: input.actor,
        action: "dataset.upload",
        targetType: "dataset_version",
        targetId: versionId,
        tenantId: input.tenantId,
        datasetVersion: versionId,
        inputs: {
          dataset: input.name,
          filename: input.filename,
          on_error: input.onError,
          bytes: tap.bytes,
          options: stats.import.used,
          mapping_columns: Object.keys(options.mapping ?? {}).length,
        },
        outputs: { version, sha256, rows: stats.stored, rejected: stats.rejected, duplicates: stats.duplicates },
        context: input.context,
      });
      return {
        commit: true,
        result: { created: true, datasetId: dataset.id, versionId, version },
        rowsStored: stats.stored,
      };
    });
  } catch (error) {
    const appError = error instanceof CsvFormatError ? fromFormatError(error) : error;
    if (appError instanceof AppError && (appError.status === 422 || appError.status === 413)) {
      await recordAuditAlone({
        actor: input.actor,
        action: "dataset.refused",
        result: "error",
        targetType: "dataset",
        tenantId: input.tenantId,
        inputs: { dataset: input.name, filename: input.filename, on_error: input.onError, bytes: tap.bytes },
        outputs: {
          reason: refusal?.detail ?? appError.message,
          problems: refusal?.problems ?? appError.errors?.length ?? 1,
        },
        context: input.context,
      }).catch(() => undefined);
    }
    throw appError;
  } finally {
    if (!input.source.readableEnded) input.source.resume();
  }
}
