import { randomBytes } from "node:crypto";
import { WorkspaceClock } from "./clock.js";
import { IdGenerator } from "./ids.js";
import type {
  AdminRecord,
  CompanyRecord,
  ContactRecord,
  ConversationRecord,
  DataAttributeRecord,
  DataEventRecord,
  EventSummaryRecord,
  NoteRecord,
  TagRecord,
  TeamRecord,
  WebhookTopic,
} from "./model.js";
import { DelayedIndex } from "./search/delayed-index.js";
import type { TicketRecord } from "./ticket-model.js";

/** What a workspace is created with; everything but the token has a default. */
export interface WorkspaceOptions {
  token: string;
  id?: string;
  name?: string;
  /** IANA time zone name; date search matches calendar days in it. */
  timezone?: string;
  clientSecret?: string;
  /** Requests allowed per minute, spread over 10-second windows. */
  rateLimitPerMinute?: number;
  /** Seconds before a created or updated contact becomes searchable. */
  searchDelaySeconds?: number;
}

/** A change a webhook subscriber may hear about. */
export interface WorkspaceEvent {
  topic: WebhookTopic;
  /** The record as it is at the time of the event. */
  record: ContactRecord | ConversationRecord | TicketRecord;
  createdAt: number;
  /** What the topic's item carries besides the record: the tag applied (`contact.*.tag.created`), the lead merged away (`contact.merged`). */
  detail?: WorkspaceEventDetail;
}

/** The extra facts of a contact event whose item is not the contact alone. */
export interface WorkspaceEventDetail {
  tag?: { id: string; name: string };
  mergedFromId?: string;
}

/**
 * Checks that a string names a time zone this runtime knows.
 *
 * @example
 * isValidTimeZone("America/New_York"); // true
 */
export function isValidTimeZone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/**
 * One Intercom workspace: its credentials and settings, its clock, its data and what search sees
 * of it. Routes validate and serialize; the workspace keeps the invariants (unique user emails and
 * external ids, search visibility, events).
 *
 * @example
 * const ws = new Workspace({ token: "tok", timezone: "Europe/Paris" });
 * ws.insertContact({ role: "lead", email: "a@example.com" });
 */
export class Workspace {
  readonly id: string;
  readonly token: string;
  name: string;
  timezone: string;
  clientSecret: string;
  rateLimitPerMinute: number;
  searchDelaySeconds: number;
  readonly clock = new WorkspaceClock();
  /** When the workspace was created (unix seconds, real time). */
  readonly createdAt = Math.floor(Date.now() / 1000);
  readonly ids = new IdGenerator();
  readonly contacts = new Map<string, ContactRecord>();
  readonly companies = new Map<string, CompanyRecord>();
  readonly tags = new Map<string, TagRecord>();
  readonly admins = new Map<string, AdminRecord>();
  readonly conversations = new Map<string, ConversationRecord>();
  readonly teams = new Map<string, TeamRecord>();
  readonly notes = new Map<string, NoteRecord>();
  /** Custom data attributes by id (standard ones are Intercom's, the same in every workspace). */
  readonly dataAttributes = new Map<number, DataAttributeRecord>();
  /** Data events per contact id, in submission order. */
  readonly events = new Map<string, DataEventRecord[]>();
  /** Event summaries sent with `POST /events/summaries`, per contact id and event name. */
  readonly eventSummaries = new Map<string, Map<string, EventSummaryRecord>>();
  /** Ids of archived contacts: kept and retrievable, but out of lists and search. */
  readonly archivedContacts = new Set<string>();
  readonly contactSearch = new DelayedIndex<ContactRecord>();
  readonly conversationSearch = new DelayedIndex<ConversationRecord>();
  /** The admin who owns the access token (`GET /me`). */
  readonly ownerAdminId: string;
  private readonly userEmails = new Map<string, string>();
  private readonly externalIds = new Map<string, string>();
  private readonly companyByCompanyId = new Map<string, string>();
  private readonly eventListeners: Array<(event: WorkspaceEvent) => void> = [];
  /** Contact ids in list order (created_at, id); rebuilt after an insert or delete. */
  private listOrder: string[] | null = null;

  constructor(options: WorkspaceOptions) {
    this.token = options.token;
    this.id = options.id ?? randomBytes(4).toString("hex");
    this.name = options.name ?? `Workspace ${this.id}`;
    this.timezone = options.timezone ?? "UTC";
    if (!isValidTimeZone(this.timezone)) throw new RangeError(`unknown time zone: ${this.timezone}`);
    this.clientSecret = options.clientSecret ?? randomBytes(16).toString("hex");
    this.rateLimitPerMinute = options.rateLimitPerMinute ?? 10_000;
    this.searchDelaySeconds = options.searchDelaySeconds ?? 0;
    const owner: AdminRecord = {
      id: this.ids.numeric("admin", 991_200),
      name: "Ada Owner",
      email: `owner@${this.id}.example.com`,
      job_title: "Support lead",
      away_mode_enabled: false,
      away_mode_reassign: false,
      has_inbox_seat: true,
      team_ids: [],
      avatar: null,
    };
    this.admins.set(owner.id, owner);
    this.ownerAdminId = owner.id;
  }

  /** Listens to contact and conversation events (webhooks use this). */
  onEvent(listener: (event: WorkspaceEvent) => void): void {
    this.eventListeners.push(listener);
  }

  /** Emits an event to the listeners. */
  emit(topic: WebhookTopic, record: ContactRecord | ConversationRecord | TicketRecord, detail?: WorkspaceEventDetail): void {
    const event: WorkspaceEvent = { topic, record: structuredClone(record), createdAt: this.clock.now(), ...(detail === undefined ? {} : { detail: { ...detail } }) };
    for (const listener of this.eventListeners) listener(event);
  }

  // ---- contacts -------------------------------------------------------------------------------

  /** The id of the user with this email, if any (emails compare case-insensitively). */
  userIdByEmail(email: string): string | undefined {
    return this.userEmails.get(email.toLowerCase());
  }

  /** The id of the contact with this external id, if any. */
  contactIdByExternalId(externalId: string): string | undefined {
    return this.externalIds.get(externalId);
  }

  /**
   * The id of an existing contact the given fields would clash with: a user with the same email,
   * or any contact with the same external id. `exceptId` is the contact being updated.
   */
  findClash(fields: { role: string; email?: string | null; external_id?: string | null }, exceptId?: string): string | undefined {
    if (fields.external_id !== undefined && fields.external_id !== null) {
      const id = this.externalIds.get(fields.external_id);
      if (id !== undefined && id !== exceptId) return id;
    }
    if (fields.role === "user" && fields.email !== undefined && fields.email !== null && fields.email !== "") {
      const id = this.userEmails.get(fields.email.toLowerCase());
      if (id !== undefined && id !== exceptId) return id;
    }
    return undefined;
  }

  /**
   * Creates a contact with defaults for what is not given. The caller checked for clashes.
   * `emit: false` is for sample data, which is not a change anyone made.
   */
  insertContact(fields: Partial<ContactRecord> & { role: ContactRecord["role"] }, options: { emit?: boolean } = {}): ContactRecord {
    const now = this.clock.now();
    const contact: ContactRecord = {
      id: this.ids.hex(now),
      external_id: null,
      email: null,
      phone: null,
      name: null,
      avatar: null,
      owner_id: null,
      has_hard_bounced: false,
      marked_email_as_spam: false,
      unsubscribed_from_emails: false,
      created_at: now,
      updated_at: now,
      signed_up_at: null,
      last_seen_at: null,
      last_replied_at: null,
      last_contacted_at: null,
      last_email_opened_at: null,
      last_email_clicked_at: null,
      language_override: null,
      browser: null,
      browser_version: null,
      browser_language: null,
      os: null,
      location: { country: null, region: null, city: null, country_code: null, continent_code: null },
      custom_attributes: {},
      company_ids: [],
      tags: [],
      ...fields,
    };
    this.contacts.set(contact.id, contact);
    this.listOrder = null;
    this.indexKeys(undefined, contact);
    this.reindexContact(contact);
    if (options.emit !== false) this.emit(contact.role === "user" ? "contact.user.created" : "contact.lead.created", contact);
    return contact;
  }

  /**
   * Applies a change to a contact: bumps `updated_at`, keeps the unique keys, refreshes search
   * (after the delay) and emits the `updated` event. The caller checked for clashes.
   */
  updateContact(id: string, change: Partial<ContactRecord>, options: { emit?: boolean } = {}): ContactRecord {
    const before = this.contacts.get(id);
    if (before === undefined) throw new Error(`updateContact: no contact ${id}`);
    const after: ContactRecord = { ...before, ...change, updated_at: this.clock.now() };
    this.contacts.set(id, after);
    this.indexKeys(before, after);
    this.reindexContact(after);
    if (options.emit !== false) {
      this.emit(after.role === "user" ? "contact.user.updated" : "contact.lead.updated", after);
    }
    return after;
  }

  /** Deletes a contact (also used when a lead is merged away). */
  deleteContact(id: string): ContactRecord | undefined {
    const contact = this.contacts.get(id);
    if (contact === undefined) return undefined;
    this.contacts.delete(id);
    this.archivedContacts.delete(id);
    this.listOrder = null;
    this.indexKeys(contact, undefined);
    this.contactSearch.remove(id);
    return contact;
  }

  /**
   * Archives or unarchives a contact: an archived contact leaves lists and search at once and
   * comes back (after the search delay) when unarchived. Not an edit: `updated_at` stays.
   */
  setArchived(id: string, archived: boolean): void {
    const contact = this.contacts.get(id);
    if (contact === undefined) throw new Error(`setArchived: no contact ${id}`);
    if (archived === this.archivedContacts.has(id)) return;
    this.listOrder = null;
    if (archived) {
      this.archivedContacts.add(id);
      this.contactSearch.remove(id);
    } else {
      this.archivedContacts.delete(id);
      this.reindexContact(contact);
    }
  }

  /** Contact ids ordered by creation time, then id: the order `GET /contacts` pages through (archived ones left out). */
  contactListOrder(): readonly string[] {
    if (this.listOrder === null) {
      this.listOrder = [...this.contacts.values()]
        .filter((c) => !this.archivedContacts.has(c.id))
        .sort((a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map((c) => c.id);
    }
    return this.listOrder;
  }

  /** Queues the contact's current state for search, visible after the workspace's delay. */
  reindexContact(contact: ContactRecord): void {
    if (this.archivedContacts.has(contact.id)) return;
    this.contactSearch.put(snapshotContact(contact), this.clock.now() + this.searchDelaySeconds);
  }

  private indexKeys(before: ContactRecord | undefined, after: ContactRecord | undefined): void {
    if (before !== undefined) {
      if (before.external_id !== null && this.externalIds.get(before.external_id) === before.id) {
        this.externalIds.delete(before.external_id);
      }
      if (before.role === "user" && before.email !== null) {
        const key = before.email.toLowerCase();
        if (this.userEmails.get(key) === before.id) this.userEmails.delete(key);
      }
    }
    if (after !== undefined) {
      if (after.external_id !== null) this.externalIds.set(after.external_id, after.id);
      if (after.role === "user" && after.email !== null && after.email !== "") {
        this.userEmails.set(after.email.toLowerCase(), after.id);
      }
    }
  }

  // ---- companies --------------------------------------------------------------------------------

  /** The company with this customer-defined `company_id`, if any. */
  companyByExternalId(companyId: string): CompanyRecord | undefined {
    const id = this.companyByCompanyId.get(companyId);
    return id === undefined ? undefined : this.companies.get(id);
  }

  /** Stores a company, keeping the `company_id` lookup in step. */
  saveCompany(company: CompanyRecord): void {
    const previous = this.companies.get(company.id);
    if (previous !== undefined) this.companyByCompanyId.delete(previous.company_id);
    this.companies.set(company.id, company);
    this.companyByCompanyId.set(company.company_id, company.id);
  }

  // ---- conversations --------------------------------------------------------------------------

  /** Stores a conversation; search sees this version after the workspace's delay. */
  saveConversation(conversation: ConversationRecord): void {
    this.conversations.set(conversation.id, conversation);
    this.conversationSearch.put(structuredClone(conversation), this.clock.now() + this.searchDelaySeconds);
  }
}

/**
 * A copy of a contact that later writes cannot reach. Records are replaced, not mutated, on
 * update, but their nested objects and arrays are shared, so copy those; much cheaper than
 * `structuredClone` when seeding 100,000 contacts.
 *
 * @example
 * const copy = snapshotContact(contact);
 */
export function snapshotContact(contact: ContactRecord): ContactRecord {
  return {
    ...contact,
    location: { ...contact.location },
    custom_attributes: { ...contact.custom_attributes },
    company_ids: [...contact.company_ids],
    tags: contact.tags.map((t) => ({ ...t })),
  };
}
