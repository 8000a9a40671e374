import { createHash } from "node:crypto";
import { DelayedIndex } from "./search/delayed-index.js";
import type {
  TicketAttributeType,
  TicketCategory,
  TicketListOption,
  TicketRecord,
  TicketStateCategory,
  TicketStateRecord,
  TicketTypeAttributeRecord,
  TicketTypeRecord,
} from "./ticket-model.js";
import type { Workspace } from "./workspace.js";

/** The default icon of a ticket type (the description's `default`). */
export const DEFAULT_TICKET_ICON = "🎟️";

/** The names of the two attributes every ticket type is created with. */
export const DEFAULT_TITLE = "_default_title_";
export const DEFAULT_DESCRIPTION = "_default_description_";

/** Intercom's four built-in states, with the labels its examples show. */
const DEFAULT_STATES: ReadonlyArray<{ category: TicketStateCategory; internal_label: string; external_label: string }> = [
  { category: "submitted", internal_label: "Submitted", external_label: "Submitted" },
  { category: "in_progress", internal_label: "In progress", external_label: "In progress" },
  { category: "waiting_on_customer", internal_label: "Waiting on customer", external_label: "Waiting on you" },
  { category: "resolved", internal_label: "Resolved", external_label: "Resolved" },
];

// Id sequences and starts, apart from the conversations' so ids look like Intercom's.
const TYPE_SEQUENCE = "ticket_type";
const ATTRIBUTE_SEQUENCE = "ticket_type_attribute";
const STATE_SEQUENCE = "ticket_state";
const TICKET_SEQUENCE = "ticket";
const TICKET_NUMBER_SEQUENCE = "ticket_number";
const PART_SEQUENCE = "ticket_part";

/** What a new ticket type takes. */
export interface NewTicketType {
  name: string;
  description?: string | undefined;
  category?: TicketCategory | undefined;
  icon?: string | undefined;
  is_internal?: boolean | undefined;
}

/** What a new ticket type attribute takes. */
export interface NewTicketAttribute {
  name: string;
  description: string;
  data_type: TicketAttributeType;
  required_to_create?: boolean | undefined;
  required_to_create_for_contacts?: boolean | undefined;
  visible_on_create?: boolean | undefined;
  visible_to_contacts?: boolean | undefined;
  multiline?: boolean | undefined;
  /** `list` attributes: the labels of its options. */
  list_items?: readonly string[] | undefined;
  allow_multiple_values?: boolean | undefined;
}

/**
 * A workspace's tickets: ticket types with their attributes, the workspace's ticket states, the
 * tickets, and what ticket search sees of them (after the workspace's search delay).
 *
 * @example
 * const store = ticketsOf(workspace);
 * const type = store.createType({ name: "Bug report" });
 */
export class TicketStore {
  readonly types = new Map<string, TicketTypeRecord>();
  readonly attributes = new Map<string, TicketTypeAttributeRecord>();
  readonly states = new Map<string, TicketStateRecord>();
  readonly tickets = new Map<string, TicketRecord>();
  readonly search = new DelayedIndex<TicketRecord>();

  constructor(private readonly ws: Workspace) {}

  /** The workspace's states (Intercom's four built-in ones, made on first use); every new ticket type gets them. */
  defaultStateIds(): string[] {
    if (this.states.size === 0) {
      for (const s of DEFAULT_STATES) {
        const id = this.ws.ids.numeric(STATE_SEQUENCE, 8_000);
        this.states.set(id, { id, ...s, archived: false });
      }
    }
    return [...this.states.values()].filter((s) => !s.archived).map((s) => s.id);
  }

  /** Creates a ticket type with the built-in title and description attributes and states. */
  createType(input: NewTicketType): TicketTypeRecord {
    const now = this.ws.clock.now();
    const type: TicketTypeRecord = {
      id: this.ws.ids.numeric(TYPE_SEQUENCE, 1),
      name: input.name,
      description: input.description ?? "",
      icon: input.icon ?? DEFAULT_TICKET_ICON,
      category: input.category ?? "Customer",
      is_internal: input.is_internal ?? false,
      archived: false,
      created_at: now,
      updated_at: now,
      attribute_ids: [],
      state_ids: this.defaultStateIds(),
    };
    this.types.set(type.id, type);
    this.addAttribute(type, { name: DEFAULT_TITLE, description: "", data_type: "string", multiline: false }, { builtIn: true });
    this.addAttribute(type, { name: DEFAULT_DESCRIPTION, description: "", data_type: "string", multiline: true }, { builtIn: true });
    return type;
  }

  /** Adds an attribute to a ticket type, last in its order. The caller checked the name. */
  addAttribute(type: TicketTypeRecord, input: NewTicketAttribute, options: { builtIn?: boolean } = {}): TicketTypeAttributeRecord {
    const now = this.ws.clock.now();
    const id = this.ws.ids.numeric(ATTRIBUTE_SEQUENCE, 100);
    const attribute: TicketTypeAttributeRecord = {
      id,
      ticket_type_id: type.id,
      name: input.name,
      description: input.description,
      data_type: input.data_type,
      multiline: input.data_type === "string" ? (input.multiline ?? false) : null,
      list_options: input.data_type === "list" ? listOptions(id, input.list_items ?? []) : null,
      allow_multiple_values: input.data_type === "files" ? (input.allow_multiple_values ?? false) : null,
      order: type.attribute_ids.length,
      required_to_create: input.required_to_create ?? false,
      required_to_create_for_contacts: input.required_to_create_for_contacts ?? false,
      visible_on_create: input.visible_on_create ?? true,
      visible_to_contacts: input.visible_to_contacts ?? true,
      default: options.builtIn === true,
      archived: false,
      created_at: now,
      updated_at: now,
    };
    this.attributes.set(attribute.id, attribute);
    type.attribute_ids.push(attribute.id);
    type.updated_at = now;
    return attribute;
  }

  /** A ticket type's attributes in order. */
  attributesOf(type: TicketTypeRecord): TicketTypeAttributeRecord[] {
    return type.attribute_ids.flatMap((id) => {
      const attribute = this.attributes.get(id);
      return attribute === undefined ? [] : [attribute];
    });
  }

  /** The attribute of a ticket type with this name (archived ones included). */
  attributeByName(type: TicketTypeRecord, name: string): TicketTypeAttributeRecord | undefined {
    return this.attributesOf(type).find((a) => a.name === name);
  }

  /** Fresh ids for a new ticket: Intercom's id and the inbox number. */
  newTicketIds(): { id: string; ticket_id: string } {
    return { id: this.ws.ids.numeric(TICKET_SEQUENCE, 600), ticket_id: this.ws.ids.numeric(TICKET_NUMBER_SEQUENCE, 1) };
  }

  /** A fresh ticket part id. */
  newPartId(): string {
    return this.ws.ids.numeric(PART_SEQUENCE, 100);
  }

  /** Stores a ticket; search sees this version after the workspace's delay. */
  save(ticket: TicketRecord): void {
    this.tickets.set(ticket.id, ticket);
    this.search.put(structuredClone(ticket), this.ws.clock.now() + this.ws.searchDelaySeconds);
  }

  /** Deletes a ticket; it leaves search at once. */
  delete(id: string): boolean {
    this.search.remove(id);
    return this.tickets.delete(id);
  }
}

/**
 * The options of a `list` attribute from their labels, numbered from `first`. Intercom's option
 * ids are UUIDs, which tickets then store; these are UUID-shaped and derived from the attribute
 * and the option's number, so the same seeding gives the same ids.
 *
 * @example
 * listOptions("104", ["Low", "High"]); // [{ id: "…-…", label: "Low", archived: false }, …]
 */
export function listOptions(attributeId: string, labels: readonly string[], first = 0): TicketListOption[] {
  return labels.map((label, i) => {
    const hex = createHash("sha1").update(`ticket-list-option:${attributeId}:${first + i}`).digest("hex");
    const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    return { id, label, archived: false };
  });
}

const stores = new WeakMap<Workspace, TicketStore>();

/**
 * The ticket store of a workspace, made on first use.
 *
 * @example
 * ticketsOf(request.workspace).tickets.get("601");
 */
export function ticketsOf(ws: Workspace): TicketStore {
  let store = stores.get(ws);
  if (store === undefined) {
    store = new TicketStore(ws);
    stores.set(ws, store);
  }
  return store;
}
