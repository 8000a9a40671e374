import { generateApiKey, hashApiKey } from "../api-keys.js";
import { StoreError } from "../errors.js";
import type { Connection, ConnectionChanges, ConnectionCredentials, CreatedConnection, NewConnection } from "../records.js";
import { assertConnectionChanges, changedConnectionRow, newConnectionRow, openClientSecret, toConnectionCredentials } from "../rows/connections.js";
import { assertApiKey } from "../validation.js";
import { hasSqlState, type PostgresPool, type Queryable, transaction, UNIQUE_VIOLATION } from "./database.js";
import { type ConnectionRow, toConnection } from "./rows.js";

/**
 * Connections in PostgreSQL: tokens sealed with AES-256-GCM, API keys kept as SHA-256 hashes.
 *
 * @example
 * const connections = new PostgresConnections(pool, secretKey, Date.now);
 * const { apiKey } = await connections.create({ name: "Acme", region: "us", accessToken: "tok" });
 */
export class PostgresConnections {
  constructor(
    private readonly pool: PostgresPool,
    private readonly secretKey: Buffer,
    private readonly clock: () => number,
  ) {}

  async create(input: NewConnection): Promise<CreatedConnection> {
    const { row, apiKey } = newConnectionRow(this.secretKey, input, this.clock);
    await this.pool.query(
      `INSERT INTO connections (id, name, region, base_url, access_token_encrypted, api_key_hash, intercom_client_secret_encrypted, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [row.id, row.name, row.region, row.base_url, row.access_token_encrypted, row.api_key_hash, row.intercom_client_secret_encrypted, row.created_at],
    );
    return { connection: toConnection(row), apiKey };
  }

  async get(id: string): Promise<Connection | null> {
    const row = await this.row(this.pool, id);
    return row === undefined ? null : toConnection(row);
  }

  async credentials(id: string): Promise<ConnectionCredentials | null> {
    const row = await this.row(this.pool, id);
    return row === undefined ? null : toConnectionCredentials(this.secretKey, row);
  }

  async findByApiKey(apiKey: string): Promise<Connection | null> {
    const row = (await this.pool.query<ConnectionRow>("SELECT * FROM connections WHERE api_key_hash = $1", [hashApiKey(apiKey)])).rows[0];
    return row === undefined ? null : toConnection(row);
  }

  async list(): Promise<Connection[]> {
    // COLLATE "C": ties broken by byte order, as SQLite does, whatever the database's collation.
    return (await this.pool.query<ConnectionRow>('SELECT * FROM connections ORDER BY created_at, id COLLATE "C"')).rows.map(toConnection);
  }

  async update(id: string, changes: ConnectionChanges): Promise<Connection | null> {
    assertConnectionChanges(changes);
    return transaction(this.pool, async (client) => {
      // Locked: a concurrent update of other fields is not overwritten with what we read.
      const row = await this.row(client, id, true);
      if (row === undefined) return null;
      const next = changedConnectionRow(this.secretKey, row, changes);
      await client.query(
        `UPDATE connections SET name = $1, region = $2, base_url = $3, access_token_encrypted = $4, intercom_client_secret_encrypted = $5
         WHERE id = $6`,
        [next.name, next.region, next.base_url, next.access_token_encrypted, next.intercom_client_secret_encrypted, id],
      );
      return toConnection(next);
    });
  }

  async intercomClientSecret(id: string): Promise<string | null> {
    const row = await this.row(this.pool, id);
    return row === undefined ? null : openClientSecret(this.secretKey, row);
  }

  async rotateApiKey(id: string): Promise<string | null> {
    const apiKey = generateApiKey();
    const result = await this.pool.query("UPDATE connections SET api_key_hash = $1 WHERE id = $2", [hashApiKey(apiKey), id]);
    return (result.rowCount ?? 0) === 0 ? null : apiKey;
  }

  async setApiKey(id: string, apiKey: string): Promise<boolean> {
    assertApiKey(apiKey);
    const hash = hashApiKey(apiKey);
    const taken = (): StoreError => new StoreError("invalid_argument", "apiKey is already the key of another connection");
    try {
      return await transaction(this.pool, async (client) => {
        const holder = (await client.query<{ id: string }>("SELECT id FROM connections WHERE api_key_hash = $1", [hash])).rows[0];
        if (holder !== undefined && holder.id !== id) throw taken();
        return ((await client.query("UPDATE connections SET api_key_hash = $1 WHERE id = $2", [hash, id])).rowCount ?? 0) > 0;
      });
    } catch (error) {
      // Another connection took the key between our check and our update.
      if (hasSqlState(error, UNIQUE_VIOLATION)) throw taken();
      throw error;
    }
  }

  async delete(id: string): Promise<boolean> {
    return ((await this.pool.query("DELETE FROM connections WHERE id = $1", [id])).rowCount ?? 0) > 0;
  }

  private async row(db: Queryable, id: string, forUpdate = false): Promise<ConnectionRow | undefined> {
    return (await db.query<ConnectionRow>(`SELECT * FROM connections WHERE id = $1${forUpdate ? " FOR UPDATE" : ""}`, [id])).rows[0];
  }
}
