import type { TicketTypeRecord } from "../ticket-model.js";
import { ticketsOf, type NewTicketAttribute, type NewTicketType } from "../ticket-store.js";
import type { Workspace } from "../workspace.js";

/** The demo's ticket types and the attributes each has besides the built-in title and description. */
const DEMO_TICKET_TYPES: ReadonlyArray<NewTicketType & { attributes: NewTicketAttribute[] }> = [
  {
    name: "Bug report",
    description: "Something in the product does not work",
    category: "Customer",
    icon: "🐞",
    attributes: [
      { name: "Priority", description: "How urgent the fix is", data_type: "list", list_items: ["Low", "Medium", "High"], required_to_create: true },
      { name: "Affected version", description: "The version the customer runs", data_type: "string" },
      { name: "Reproducible", description: "Whether support could reproduce it", data_type: "boolean" },
    ],
  },
  {
    name: "Refund request",
    description: "A refund the billing team decides on",
    category: "Back-office",
    icon: "💸",
    attributes: [
      { name: "Amount", description: "The amount to refund", data_type: "decimal", required_to_create: true },
      { name: "Order number", description: "The order it is about", data_type: "integer" },
      { name: "Charged at", description: "When the charge was made", data_type: "datetime" },
    ],
  },
];

/**
 * Adds the demo's ticket types (a customer bug report with a required list attribute, a
 * back-office refund request with a required decimal), once: a type whose name exists is kept.
 *
 * @example
 * seedTicketTypes(workspace).map((t) => t.name); // ["Bug report", "Refund request"]
 */
export function seedTicketTypes(ws: Workspace): TicketTypeRecord[] {
  const store = ticketsOf(ws);
  return DEMO_TICKET_TYPES.map(({ attributes, ...fields }) => {
    const existing = [...store.types.values()].find((t) => t.name === fields.name);
    if (existing !== undefined) return existing;
    const type = store.createType(fields);
    for (const attribute of attributes) store.addAttribute(type, attribute);
    return type;
  });
}
