import { z } from "zod";
import { defineOperation } from "../define-operation.js";
import { IdField } from "../fields.js";
import { pickedFrom } from "../pickers.js";

// Notes on a contact: Intercom 2.14's `note` object, and the inputs of AddNoteToContact and ListNotes.

/** The longest note body taken: Intercom documents none; this keeps one request reasonable. */
const MAX_NOTE_BODY = 65_536;

/**
 * The admin who wrote a note, as Intercom embeds it (a subset of its `admin` object).
 *
 * @example
 * NoteAuthor.parse({ type: "admin", id: "991200", name: "Ada", email: "ada@example.com" });
 */
export const NoteAuthor = z
  .object({
    type: z.string().meta({ title: "Type", description: "Always admin." }),
    id: z.string().meta({ title: "Admin ID", description: "Intercom's id of the admin who wrote the note." }),
    name: z.string().optional().meta({ title: "Name", description: "The author's name." }),
    email: z.string().optional().meta({ title: "Email", description: "The author's email address." }),
    away_mode_enabled: z.boolean().optional().meta({ title: "Away Mode Enabled", description: "Whether the author is set to away." }),
    away_mode_reassign: z.boolean().optional().meta({ title: "Away Mode Reassign", description: "Whether the author's conversations are reassigned while away." }),
  })
  .nullable();

/**
 * A note on a contact, as Intercom 2.14's `note` object.
 *
 * @example
 * Note.parse({ type: "note", id: "17", created_at: 1795523438, contact: { type: "contact", id: "6762f0a51bb69f9f2193bb5c" }, author: null, body: "<p>Hello</p>" });
 */
export const Note = z.object({
  type: z.string().meta({ title: "Type", description: "Always note." }),
  id: z.string().meta({ title: "Note ID", description: "Intercom's id of the note." }),
  created_at: z.number().int().meta({ title: "Created At", description: "When the note was created, unix seconds." }),
  contact: z
    .object({
      type: z.string().meta({ title: "Type", description: "Always contact." }),
      id: z.string().meta({ title: "Contact ID", description: "Intercom's id of the contact the note is on." }),
    })
    .nullable()
    .meta({ title: "Contact", description: "The contact the note is on." }),
  author: NoteAuthor.meta({ title: "Author", description: "The admin who wrote the note." }),
  body: z.string().meta({ title: "Body", description: "The note's text as HTML (Intercom wraps plain text in <p>)." }),
});
/** A note as AddNoteToContact and ListNotes return it. */
export type Note = z.output<typeof Note>;

/**
 * AddNoteToContact's input: the contact, the text, and optionally the admin who writes it (else
 * the token's owner).
 *
 * @example
 * AddNoteToContactInput.parse({ contact_id: "6762f0a51bb69f9f2193bb5c", body: "Called, wants a demo" });
 */
export const AddNoteToContactInput = z.strictObject({
  contact_id: IdField.meta({ title: "Contact ID", description: "Intercom's id of the contact to add the note to." }),
  body: z
    .string({ error: "must be a string" })
    .trim()
    .min(1, { error: "must not be empty" })
    .max(MAX_NOTE_BODY, { error: `must be at most ${MAX_NOTE_BODY} characters` })
    .meta({ title: "Body", description: "The text of the note (plain text or HTML)." }),
  admin_id: IdField.optional().meta({ title: "Admin ID", description: "The admin who writes the note; the access token's owner when left out.", ...pickedFrom("admins") }),
});

/**
 * ListNotes' input: the contact whose notes to list.
 *
 * @example
 * ListNotesInput.parse({ contact_id: "6762f0a51bb69f9f2193bb5c" });
 */
export const ListNotesInput = z.strictObject({
  contact_id: IdField.meta({ title: "Contact ID", description: "Intercom's id of the contact whose notes to list." }),
});

/**
 * The notes area.
 *
 * @example
 * NOTES_OPERATIONS.AddNoteToContact.input.parse({ contact_id: "6762f0a51bb69f9f2193bb5c", body: "Hi" });
 */
export const NOTES_OPERATIONS = {
  AddNoteToContact: defineOperation({
    id: "AddNoteToContact",
    kind: "action",
    summary: "Add a note to a contact",
    seedName: "",
    description: "Adds a note to a contact, written by the admin you name or the token's owner, and returns the note.",
    input: AddNoteToContactInput,
    output: Note,
    outputName: "Note",
  }),
  ListNotes: defineOperation({
    id: "ListNotes",
    kind: "action",
    summary: "List the notes of a contact",
    seedName: "",
    description: "Returns every note on a contact, newest first.",
    input: ListNotesInput,
    output: z.array(Note),
    outputName: "NoteList",
  }),
} as const;
