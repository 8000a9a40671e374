import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, loadSecretKey, parseSecretKey, SECRET_KEY_FILE } from "./crypto.js";
import { isStoreError } from "./errors.js";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "icc-crypto-"));
  dirs.push(dir);
  return dir;
}
function failsWith(fn: () => unknown, code: string): boolean {
  try {
    fn();
    return false;
  } catch (error) {
    return isStoreError(error) && error.code === code;
  }
}

describe("encryptSecret / decryptSecret", () => {
  const key = randomBytes(32);

  it("round-trips, with a fresh IV each time and no plaintext in the output", () => {
    const a = encryptSecret(key, "dG9rOnNlY3JldA==", "connection:1");
    const b = encryptSecret(key, "dG9rOnNlY3JldA==", "connection:1");
    expect(a).not.toBe(b);
    expect(a).not.toContain("dG9rOnNlY3JldA");
    expect(a.split(":")).toHaveLength(4);
    expect(decryptSecret(key, a, "connection:1")).toBe("dG9rOnNlY3JldA==");
    expect(decryptSecret(key, encryptSecret(key, "ünïcødé ✓"))).toBe("ünïcødé ✓");
  });

  it("refuses a wrong key, wrong associated data, tampering and garbage", () => {
    const sealed = encryptSecret(key, "secret", "connection:1");
    expect(failsWith(() => decryptSecret(randomBytes(32), sealed, "connection:1"), "decryption_failed")).toBe(true);
    expect(failsWith(() => decryptSecret(key, sealed, "connection:2"), "decryption_failed")).toBe(true);
    const [format, iv, tag, ciphertext] = sealed.split(":") as [string, string, string, string];
    const flipped = Buffer.from(ciphertext, "base64url");
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(failsWith(() => decryptSecret(key, [format, iv, tag, flipped.toString("base64url")].join(":"), "connection:1"), "decryption_failed")).toBe(true);
    expect(failsWith(() => decryptSecret(key, "plain-token"), "decryption_failed")).toBe(true);
    expect(failsWith(() => decryptSecret(key, `v2:${iv}:${tag}:${ciphertext}`, "connection:1"), "decryption_failed")).toBe(true);
    expect(failsWith(() => encryptSecret(randomBytes(16), "x"), "invalid_secret_key")).toBe(true);
  });
});

describe("parseSecretKey", () => {
  it("reads 32 bytes as hex, base64 or base64url, and nothing else", () => {
    const key = randomBytes(32);
    expect(parseSecretKey(key.toString("hex"))).toEqual(key);
    expect(parseSecretKey(key.toString("hex").toUpperCase())).toEqual(key);
    expect(parseSecretKey(` ${key.toString("base64")}\n`)).toEqual(key);
    expect(parseSecretKey(key.toString("base64url"))).toEqual(key);
    for (const bad of ["", "short", randomBytes(16).toString("hex"), randomBytes(31).toString("base64"), "not base64 at all!!"]) {
      expect(failsWith(() => parseSecretKey(bad), "invalid_secret_key")).toBe(true);
    }
  });
});

describe("loadSecretKey", () => {
  it("prefers the environment value and writes no file then", async () => {
    const dir = await tempDir();
    const key = randomBytes(32);
    expect(await loadSecretKey({ envValue: key.toString("base64"), dataDir: dir })).toEqual({ key, origin: "env" });
    expect(await readdir(dir)).toEqual([]);
  });

  it("generates a key file readable by its owner only, then reads it back", async () => {
    const dir = join(await tempDir(), "nested", "data");
    const first = await loadSecretKey({ envValue: "", dataDir: dir });
    expect(first.origin).toBe("generated");
    const path = join(dir, SECRET_KEY_FILE);
    if (process.platform !== "win32") expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(parseSecretKey(await readFile(path, "utf8"))).toEqual(first.key);
    expect(await loadSecretKey({ envValue: undefined, dataDir: dir })).toEqual({ key: first.key, origin: "file", path });
    expect(await readdir(dir)).toEqual([SECRET_KEY_FILE]);
  });

  it("agrees on one key when several loaders race to generate it", async () => {
    const dir = await tempDir();
    const loaded = await Promise.all(Array.from({ length: 8 }, () => loadSecretKey({ dataDir: dir })));
    expect(new Set(loaded.map((l) => l.key.toString("hex"))).size).toBe(1);
    expect(loaded.filter((l) => l.origin === "generated")).toHaveLength(1);
    expect(await readdir(dir)).toEqual([SECRET_KEY_FILE]);
  });

  it("refuses a key file that holds no valid key", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, SECRET_KEY_FILE), "garbage\n");
    const error: unknown = await loadSecretKey({ dataDir: dir }).catch((e: unknown) => e);
    expect(isStoreError(error, "invalid_secret_key")).toBe(true);
  });
});
