// The secret scan (npm run scan:secrets) on a throwaway git repository: a fake AWS key and a
// private key committed and then deleted are found in the history (not in the tree), with the
// commit that brought them; the repository's allowlist covers exactly its fake values. The
// secrets are generated at run time, so this file itself holds none.
import { execFileSync, spawnSync } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { copyFileSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scanRepository } from "@/scripts/supply-chain/secret-scan";
import { REPO_ROOT } from "@/deploy/validate/tools";

const CONFIG = join(REPO_ROOT, ".secretlintrc.json");
let repo: string;
let plantedIn: string;
let awsSecret: string;

// A connection string with a password, assembled so that this source file does not hold one.
const dbUrl = (password: string) => ["postgresql", `://pilot:${password}@db.example.internal:5432/pilot`].join("");

const git = (...args: string[]) => execFileSync("git", ["-C", repo, ...args], { encoding: "utf8" }).trim();

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), "pib-secret-scan-"));
  git("init", "-q", "-b", "main");
  git("config", "user.email", "ci@example.invalid");
  git("config", "user.name", "ci");
  git("config", "commit.gpgsign", "false");
  copyFileSync(CONFIG, join(repo, ".secretlintrc.json"));
  writeFileSync(join(repo, "README.md"), "A clean file.\n");
  git("add", "-A");
  git("commit", "-qm", "clean start");

  // 40 characters, like a real secret access key. Its last character must be a letter or digit: the
  // rule's pattern ends in \b, so a key ending in "+" or "/" (1 draw in 32 of plain base64) is not
  // matched at the end of a line — the flake that failed a CI run.
  awsSecret = randomBytes(30).toString("base64").replace(/[+/]$/, "Q");
  const pem = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
    type: "pkcs1",
    format: "pem",
  }) as string;
  writeFileSync(
    join(repo, "deploy.env"),
    `AWS_ACCESS_KEY_ID=AKIA${"Q3EGRIEZ5TSJN7XW"}\nAWS_SECRET_ACCESS_KEY=${awsSecret}\n`,
  );
  writeFileSync(join(repo, "id_rsa"), pem);
  git("add", "-A");
  git("commit", "-qm", "oops: credentials");
  plantedIn = git("rev-parse", "HEAD");

  unlinkSync(join(repo, "deploy.env"));
  unlinkSync(join(repo, "id_rsa"));
  git("add", "-A");
  git("commit", "-qm", "remove the credentials (they stay in history)");
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe("secret scan", () => {
  it("finds secrets deleted from the tree in the history, with the commit that added them", async () => {
    const treeOnly = await scanRepository({ repo, configFile: CONFIG, history: false });
    expect(treeOnly.findings).toEqual([]);

    const { findings } = await scanRepository({ repo, configFile: CONFIG });
    const found = findings.map((f) => [f.where, f.path, f.messageId, f.commit]);
    expect(found).toEqual(
      expect.arrayContaining([
        ["history", "deploy.env", "AWSSecretAccessKey", plantedIn],
        ["history", "id_rsa", "PrivateKey", plantedIn],
      ]),
    );
    // Reported masked: the log of a CI run must not become the next leak.
    expect(JSON.stringify(findings)).not.toContain(awsSecret);
  }, 60_000);

  it("finds a secret in the working tree, including one not committed yet", async () => {
    writeFileSync(join(repo, "README.md"), `DATABASE_URL=${dbUrl("Xk29-real-looking")}\n`);
    try {
      const { findings } = await scanRepository({ repo, configFile: CONFIG, history: false });
      expect(findings.map((f) => [f.where, f.path, f.line, f.messageId])).toEqual([
        ["tree", "README.md", 1, "PostgreSQLConnection"],
      ]);
    } finally {
      git("checkout", "--", "README.md");
    }
  }, 30_000);

  it("the allowlist covers the exact fake values only: the same URL with another password is found", async () => {
    const fake = dbUrl("change-me"); // the allowlisted .env.example value
    const other = dbUrl("change-me2");
    writeFileSync(join(repo, "README.md"), `${fake}\n${other}\n`);
    try {
      const { findings } = await scanRepository({ repo, configFile: CONFIG, history: false });
      expect(findings.map((f) => f.line)).toEqual([2]);
    } finally {
      git("checkout", "--", "README.md");
    }
  }, 30_000);

  it("npm run scan:secrets exits 1 and names the finding; 0 on a clean repository", () => {
    const run = (dir: string, ...args: string[]) =>
      spawnSync(
        join(REPO_ROOT, "node_modules", ".bin", "tsx"),
        [join(REPO_ROOT, "scripts", "scan-secrets.ts"), "--repo", dir, ...args],
        { encoding: "utf8" },
      );
    const dirty = run(repo);
    expect(dirty.status, dirty.stderr).toBe(1);
    expect(dirty.stdout).toMatch(/history deploy\.env:2 in commit [0-9a-f]{12}\s+aws\/AWSSecretAccessKey/);
    expect(dirty.stdout).toMatch(/FAIL: \d+ possible secrets/);
    const clean = run(repo, "--no-history");
    expect(clean.status, clean.stdout + clean.stderr).toBe(0);
    expect(clean.stdout).toMatch(/ok: no secrets in 2 tracked files/);
  }, 60_000);
});
