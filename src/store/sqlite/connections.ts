import { randomUUID } from "node:crypto";
import { generateApiKey, hashApiKey } from "../api-keys.js";
import { decryptSecret, encryptSecret } from "../crypto.js";
import type { Connection, ConnectionChanges, ConnectionCredentials, CreatedConnection, NewConnection } from "../records.js";
import { StoreError } from "../errors.js";
import { assertApiKey, assertNonEmpty, assertRegion } from "../validation.js";
import { immediate, type SqliteDatabase, StatementCache } from "./database.js";
import { type ConnectionRow, toConnection } from "./rows.js";

/**
 * The associated data that binds a sealed token to its connection: a token copied into another
 * row does not decrypt there.
 */
function tokenBinding(connectionId: string): string {
  return `connection:${connectionId}`;
}

/** The associated data of a sealed Intercom client secret (distinct from the token's). */
function clientSecretBinding(connectionId: string): string {
  return `intercom-client-secret:${connectionId}`;
}

/**
 * Connections in SQLite: tokens sealed with AES-256-GCM, API keys kept as SHA-256 hashes.
 *
 * @example
 * const connections = new SqliteConnections(db, secretKey, Date.now);
 * const { apiKey } = connections.create({ name: "Acme", region: "us", accessToken: "tok" });
 */
export class SqliteConnections {
  private readonly statements: StatementCache;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly secretKey: Buffer,
    private readonly clock: () => number,
  ) {
    this.statements = new StatementCache(db);
  }

  create(input: NewConnection): CreatedConnection {
    assertNonEmpty(input.name, "name");
    assertRegion(input.region);
    assertNonEmpty(input.accessToken, "accessToken");
    if (input.intercomClientSecret !== undefined && input.intercomClientSecret !== null) assertNonEmpty(input.intercomClientSecret, "intercomClientSecret");
    const id = randomUUID();
    const apiKey = generateApiKey();
    const row: ConnectionRow = {
      id,
      name: input.name,
      region: input.region,
      base_url: input.baseUrl ?? null,
      access_token_encrypted: encryptSecret(this.secretKey, input.accessToken, tokenBinding(id)),
      api_key_hash: hashApiKey(apiKey),
      intercom_client_secret_encrypted: this.sealClientSecret(id, input.intercomClientSecret ?? null),
      created_at: this.clock(),
    };
    this.statements
      .get<[ConnectionRow]>(
        `INSERT INTO connections (id, name, region, base_url, access_token_encrypted, api_key_hash, intercom_client_secret_encrypted, created_at)
         VALUES (@id, @name, @region, @base_url, @access_token_encrypted, @api_key_hash, @intercom_client_secret_encrypted, @created_at)`,
      )
      .run(row);
    return { connection: toConnection(row), apiKey };
  }

  get(id: string): Connection | null {
    const row = this.row(id);
    return row === undefined ? null : toConnection(row);
  }

  credentials(id: string): ConnectionCredentials | null {
    const row = this.row(id);
    if (row === undefined) return null;
    return { ...toConnection(row), accessToken: decryptSecret(this.secretKey, row.access_token_encrypted, tokenBinding(row.id)) };
  }

  findByApiKey(apiKey: string): Connection | null {
    const row = this.statements.get<[string], ConnectionRow>("SELECT * FROM connections WHERE api_key_hash = ?").get(hashApiKey(apiKey));
    return row === undefined ? null : toConnection(row);
  }

  list(): Connection[] {
    return this.statements.get<[], ConnectionRow>("SELECT * FROM connections ORDER BY created_at, id").all().map(toConnection);
  }

  update(id: string, changes: ConnectionChanges): Connection | null {
    if (changes.name !== undefined) assertNonEmpty(changes.name, "name");
    if (changes.region !== undefined) assertRegion(changes.region);
    if (changes.accessToken !== undefined) assertNonEmpty(changes.accessToken, "accessToken");
    if (changes.intercomClientSecret !== undefined && changes.intercomClientSecret !== null) assertNonEmpty(changes.intercomClientSecret, "intercomClientSecret");
    return immediate(this.db, () => {
      const row = this.row(id);
      if (row === undefined) return null;
      const next: ConnectionRow = {
        ...row,
        name: changes.name ?? row.name,
        region: changes.region ?? row.region,
        base_url: changes.baseUrl === undefined ? row.base_url : changes.baseUrl,
        access_token_encrypted:
          changes.accessToken === undefined ? row.access_token_encrypted : encryptSecret(this.secretKey, changes.accessToken, tokenBinding(id)),
        intercom_client_secret_encrypted:
          changes.intercomClientSecret === undefined ? row.intercom_client_secret_encrypted : this.sealClientSecret(id, changes.intercomClientSecret),
      };
      this.statements
        .get<[ConnectionRow]>(
          `UPDATE connections SET name = @name, region = @region, base_url = @base_url, access_token_encrypted = @access_token_encrypted,
             intercom_client_secret_encrypted = @intercom_client_secret_encrypted
           WHERE id = @id`,
        )
        .run(next);
      return toConnection(next);
    });
  }

  intercomClientSecret(id: string): string | null {
    const sealed = this.row(id)?.intercom_client_secret_encrypted ?? null;
    return sealed === null ? null : decryptSecret(this.secretKey, sealed, clientSecretBinding(id));
  }

  rotateApiKey(id: string): string | null {
    const apiKey = generateApiKey();
    const result = this.statements.get<[string, string]>("UPDATE connections SET api_key_hash = ? WHERE id = ?").run(hashApiKey(apiKey), id);
    return result.changes === 0 ? null : apiKey;
  }

  setApiKey(id: string, apiKey: string): boolean {
    assertApiKey(apiKey);
    const hash = hashApiKey(apiKey);
    return immediate(this.db, () => {
      const holder = this.statements.get<[string], { id: string }>("SELECT id FROM connections WHERE api_key_hash = ?").get(hash);
      if (holder !== undefined && holder.id !== id) throw new StoreError("invalid_argument", "apiKey is already the key of another connection");
      return this.statements.get<[string, string]>("UPDATE connections SET api_key_hash = ? WHERE id = ?").run(hash, id).changes > 0;
    });
  }

  delete(id: string): boolean {
    return this.statements.get<[string]>("DELETE FROM connections WHERE id = ?").run(id).changes > 0;
  }

  private sealClientSecret(id: string, secret: string | null): string | null {
    return secret === null ? null : encryptSecret(this.secretKey, secret, clientSecretBinding(id));
  }

  private row(id: string): ConnectionRow | undefined {
    return this.statements.get<[string], ConnectionRow>("SELECT * FROM connections WHERE id = ?").get(id);
  }
}
