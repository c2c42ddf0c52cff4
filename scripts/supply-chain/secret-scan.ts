// Secret scanning of a git repository with secretlint (its recommended rule preset): the tracked
// files as they are in the working tree, and every blob reachable from any ref (what
// `git log -p --all` would show). History is scanned blob by blob, each distinct content once —
// a secret committed and deleted again is still in the history, and still has to be rotated.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { lstatSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createEngine } from "@secretlint/node";

export type SecretFinding = {
  /** "tree": a tracked file now; "history": a blob of some commit reachable from a ref. */
  where: "tree" | "history";
  path: string;
  /** History findings: the first commit (oldest) that contains the blob. */
  commit?: string;
  line: number;
  ruleId: string;
  messageId: string;
  /** secretlint's message, with the secret masked. */
  message: string;
};

export type ScanResult = { findings: SecretFinding[]; files: number; blobs: number; skipped: number; ms: number };

type LintMessage = { ruleId: string; messageId: string; message: string; loc: { start: { line: number } } };

// Larger files are data (fixtures, lockfiles are far below this); binary files hold no text secret.
const MAX_BYTES = 5 * 1024 * 1024;
const isText = (content: Buffer) => !content.subarray(0, 8000).includes(0);
/** git's id of a blob with this content: content already scanned in the tree is not scanned again. */
const blobId = (content: Buffer) => createHash("sha1").update(`blob ${content.length}\0`).update(content).digest("hex");

function git(repo: string, args: string[], input?: string): Buffer {
  return execFileSync("git", ["-C", repo, ...args], { input, maxBuffer: 1024 * 1024 * 1024 });
}

/** Every blob reachable from any ref: id → one path it appears under. */
function reachableBlobs(repo: string): Map<string, string> {
  const objects = git(repo, ["rev-list", "--all", "--objects"]).toString("utf8").split("\n").filter(Boolean);
  const pathOf = new Map<string, string>();
  for (const line of objects) {
    const space = line.indexOf(" ");
    if (space > 0) pathOf.set(line.slice(0, space), line.slice(space + 1));
  }
  const types = git(
    repo,
    ["cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize)"],
    [...pathOf.keys()].join("\n") + "\n",
  ).toString("utf8");
  const blobs = new Map<string, string>();
  for (const line of types.split("\n")) {
    const [id, type, size] = line.split(" ");
    if (id && type === "blob" && Number(size) <= MAX_BYTES) blobs.set(id, pathOf.get(id)!);
  }
  return blobs;
}

/** The contents of the given blobs, read in one `git cat-file --batch`. */
function* blobContents(repo: string, ids: string[]): Generator<{ id: string; content: Buffer }> {
  if (!ids.length) return;
  const out = git(repo, ["cat-file", "--batch"], ids.join("\n") + "\n");
  let at = 0;
  while (at < out.length) {
    const eol = out.indexOf(10, at);
    const [id, , size] = out.subarray(at, eol).toString("utf8").split(" ");
    const start = eol + 1;
    const end = start + Number(size);
    yield { id: id!, content: out.subarray(start, end) };
    at = end + 1; // the newline after each object
  }
}

export async function scanRepository(options: {
  repo: string;
  configFile: string;
  history?: boolean;
}): Promise<ScanResult> {
  const started = Date.now();
  const engine = await createEngine({
    formatter: "json",
    color: false,
    maskSecrets: true,
    configFilePath: options.configFile,
  });
  const findings: SecretFinding[] = [];
  let files = 0;
  let blobs = 0;
  let skipped = 0;

  const lint = async (content: Buffer, path: string): Promise<LintMessage[]> => {
    const { output } = await engine.executeOnContent({ content: content.toString("utf8"), filePath: path });
    const results = JSON.parse(output) as { messages: LintMessage[] }[];
    return results.flatMap((r) => r.messages);
  };
  const add = (where: SecretFinding["where"], path: string, messages: LintMessage[], commit?: string) => {
    for (const m of messages)
      findings.push({
        where,
        path,
        commit,
        line: m.loc.start.line,
        ruleId: m.ruleId,
        messageId: m.messageId,
        message: m.message,
      });
  };

  // The working tree: tracked files, including changes not yet committed.
  const tracked = git(options.repo, ["ls-files", "-s", "-z"]).toString("utf8").split("\0").filter(Boolean);
  const scanned = new Set<string>();
  for (const entry of tracked) {
    // "<mode> <id> <stage>\t<path>"; 120000 is a symlink, 160000 a submodule: no content here.
    const [meta, path] = entry.split("\t") as [string, string];
    const mode = meta.split(" ")[0];
    if (mode !== "100644" && mode !== "100755") continue;
    const full = join(options.repo, path);
    let stat;
    try {
      stat = lstatSync(full);
    } catch {
      continue; // deleted in the working tree, not yet committed
    }
    if (!stat.isFile() || stat.size > MAX_BYTES) {
      skipped += 1;
      continue;
    }
    const content = readFileSync(full);
    if (!isText(content)) {
      skipped += 1;
      continue;
    }
    files += 1;
    scanned.add(blobId(content));
    add("tree", path, await lint(content, path));
  }

  if (options.history !== false) {
    const reachable = reachableBlobs(options.repo);
    const ids = [...reachable.keys()].filter((id) => !scanned.has(id));
    for (const { id, content } of blobContents(options.repo, ids)) {
      if (!isText(content)) {
        skipped += 1;
        continue;
      }
      blobs += 1;
      const path = reachable.get(id)!;
      const messages = await lint(content, path);
      if (!messages.length) continue;
      // Where it came in: the oldest commit whose tree holds this blob.
      const log = spawnSync(
        "git",
        ["-C", options.repo, "log", "--all", "--reverse", "--format=%H", `--find-object=${id}`],
        { encoding: "utf8" },
      );
      add("history", path, messages, log.stdout.split("\n")[0] || undefined);
    }
  }
  return { findings, files, blobs, skipped, ms: Date.now() - started };
}

export function formatFinding(f: SecretFinding): string {
  const where =
    f.where === "tree" ? `${f.path}:${f.line}` : `${f.path}:${f.line} in commit ${f.commit?.slice(0, 12) ?? "?"}`;
  return `${f.where.padEnd(7)} ${where}  ${f.ruleId.replace("@secretlint/secretlint-rule-", "")}/${f.messageId}: ${f.message}`;
}
