import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { POSTGRES_MIGRATIONS } from "./postgres/migrations.js";
import { SQLITE_MIGRATIONS } from "./sqlite/migrations.js";

/**
 * The sha256 of each released migration's SQL, per store, by version. A database that applied a
 * migration keeps what that text made; editing the text afterwards makes new databases differ
 * from old ones, so this list is append-only: a new migration appends its hash, and a hash never
 * changes. (Versions 1 and 2 are the hashes of the text released databases got, when migration 1
 * still interpolated the trigger ids: the literal text is byte-identical.)
 */
const RELEASED: Record<"sqlite" | "postgres", readonly string[]> = {
  sqlite: [
    "71b68516d15f0fe5ec97e3009143aa65c86605ad0618a2ca0f3cb3f0c0792c2c",
    "6c4348092f8f922e87bb0d55330565496f3b8d0e1d99354b7eaa96a824a4a06b",
    "5442c1f47c8542cfe1e32923b17b7e78d8e7a3ed50bdd777dd83fe5a2f84ecf0",
    "b6361f142d35c7eedee7ff3990cb85f1449347485ea2da97cf6118e2987ded27",
    "6bdbcbe54f29a7b974bafc48ce6c335cebd29c4163384c71cf8350751e5e4ebd",
    "5403ae88e2ea2797ba62c1124475bf979ca353455197b6cc56aa0ab78570660e",
    "d2825bdd52dfd6e8751a3b5765603bcaff6ee2b27258727b8b9915b6278da53a",
  ],
  postgres: [
    "260e1906dce672e2bab194cf16d51fe9f6fb5656743b60ad5214e908dbb22ee9",
    "b3dc9e1fa8f694404a7195d1dc733317da3ecf547a82232844fb17a9783f2061",
    "9f32a466878ccb3421962f903c0eab38b0584011abffdabe35c1443cf36cd9ac",
    "aa8fa7dc395a156b762917f1b453fa90d4129f9811462d8bee4f7385cfc94f8b",
    "995be0ce18dd1df4883084587080265115d1f27d9f30e174ce13550e8c4404be",
    "3663c39f0c66e1562c6ff09f8c5e81e2a72975c709d00bc898a7b6e9f031ef62",
    "d2825bdd52dfd6e8751a3b5765603bcaff6ee2b27258727b8b9915b6278da53a",
  ],
};

const sha256 = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");

describe("released migrations are frozen", () => {
  for (const [store, migrations] of [
    ["sqlite", SQLITE_MIGRATIONS],
    ["postgres", POSTGRES_MIGRATIONS],
  ] as const) {
    it(`${store}: versions run 1, 2, 3, … and each one's SQL hashes to the released hash`, () => {
      expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
      // A new migration without its hash here fails too: the lists must be the same length.
      expect(migrations.map((m) => `${m.version} ${sha256(m.sql)}`)).toEqual(RELEASED[store].map((hash, i) => `${i + 1} ${hash}`));
    });
  }

  it("the PostgreSQL schema follows the SQLite one version for version", () => {
    expect(POSTGRES_MIGRATIONS.map((m) => m.version)).toEqual(SQLITE_MIGRATIONS.map((m) => m.version));
  });

  it("migration 1 names the four trigger ids it was released with, in their released order", () => {
    for (const migration of [SQLITE_MIGRATIONS[0], POSTGRES_MIGRATIONS[0]]) {
      expect(migration?.sql).toContain("CHECK (trigger_id IN ('TrigNewLead', 'TrigNewUser', 'TrigUpdateUser', 'TrigNewConversation'))");
    }
  });
});
