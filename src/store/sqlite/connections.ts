import { generateApiKey, hashApiKey } from "../api-keys.js";
import type { Connection, ConnectionChanges, ConnectionCredentials, CreatedConnection, NewConnection } from "../records.js";
import { StoreError } from "../errors.js";
import { assertConnectionChanges, changedConnectionRow, newConnectionRow, openClientSecret, toConnectionCredentials } from "../rows/connections.js";
import { assertApiKey } from "../validation.js";
import { immediate, type SqliteDatabase, StatementCache } from "./database.js";
import { type ConnectionRow, toConnection } from "./rows.js";

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
    const { row, apiKey } = newConnectionRow(this.secretKey, input, this.clock);
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
    return row === undefined ? null : toConnectionCredentials(this.secretKey, row);
  }

  findByApiKey(apiKey: string): Connection | null {
    const row = this.statements.get<[string], ConnectionRow>("SELECT * FROM connections WHERE api_key_hash = ?").get(hashApiKey(apiKey));
    return row === undefined ? null : toConnection(row);
  }

  list(): Connection[] {
    return this.statements.get<[], ConnectionRow>("SELECT * FROM connections ORDER BY created_at, id").all().map(toConnection);
  }

  update(id: string, changes: ConnectionChanges): Connection | null {
    assertConnectionChanges(changes);
    return immediate(this.db, () => {
      const row = this.row(id);
      if (row === undefined) return null;
      const next = changedConnectionRow(this.secretKey, row, changes);
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
    const row = this.row(id);
    return row === undefined ? null : openClientSecret(this.secretKey, row);
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

  private row(id: string): ConnectionRow | undefined {
    return this.statements.get<[string], ConnectionRow>("SELECT * FROM connections WHERE id = ?").get(id);
  }
}
