import { ok, type ConnectorError, type Result } from "../contract/index.js";
import type { IntercomContact, IntercomTag, IntercomTransport } from "../intercom/index.js";
import { contractRole, type ContactNames, type ContractRole } from "./mapping.js";

/**
 * What the trigger shapes need beyond a contact or conversation: company and tag names, and the
 * role of a conversation's contact. Intercom embeds only ids, so names are fetched, and kept for
 * the life of this object: make one per operation call or poll, so a name is fetched at most
 * once per call and never goes stale across calls.
 *
 * Costs: a contact's companies cost one call per company not seen before; tags cost one call
 * (`GET /tags`) for the whole object, plus one more if a tag appears that is newer than the list.
 * A contact with more than Intercom's embedded ten costs one list call instead.
 *
 * @example
 * const lookups = new Lookups(intercom);
 * const names = await lookups.contactNames(contact);
 * if (names.ok) emit(mapTrigUser(contact, names.value));
 */
export class Lookups {
  private readonly companyNames = new Map<string, string>();
  private tagNames: Map<string, string> | null = null;
  private readonly roles = new Map<string, ContractRole | null>();

  constructor(private readonly intercom: IntercomTransport) {}

  /** The names of a contact's companies and tags. */
  async contactNames(contact: IntercomContact): Promise<Result<ContactNames, ConnectorError>> {
    const companies = await this.companiesOf(contact);
    if (!companies.ok) return companies;
    const tags = await this.tagsOf(contact);
    if (!tags.ok) return tags;
    return ok({ companies: companies.value, tags: tags.value });
  }

  /** The role of a contact by id (null when it no longer exists or is neither user nor lead). */
  async contactRole(contactId: string): Promise<Result<ContractRole | null, ConnectorError>> {
    const known = this.roles.get(contactId);
    if (known !== undefined || this.roles.has(contactId)) return ok(known ?? null);
    const contact = await this.intercom.getContact(contactId);
    if (!contact.ok) {
      if (contact.error.code !== "not_found") return contact;
      this.roles.set(contactId, null);
      return ok(null);
    }
    const role = contractRole(contact.value.role);
    this.roles.set(contactId, role);
    return ok(role);
  }

  private async companiesOf(contact: IntercomContact): Promise<Result<string[], ConnectorError>> {
    const embedded = contact.companies;
    if (embedded?.has_more === true) {
      const all = await this.intercom.listContactCompanies(contact.id);
      if (!all.ok) return all;
      for (const company of all.value) this.companyNames.set(company.id, company.name ?? "");
      return ok(all.value.map((company) => company.name ?? ""));
    }
    const names: string[] = [];
    for (const { id } of embedded?.data ?? []) {
      let name = this.companyNames.get(id);
      if (name === undefined) {
        const company = await this.intercom.getCompany(id);
        if (!company.ok) {
          // Detached or deleted since the contact was read: it is no longer one of its companies.
          if (company.error.code === "not_found") continue;
          return company;
        }
        name = company.value.name ?? "";
        this.companyNames.set(id, name);
      }
      names.push(name);
    }
    return ok(names);
  }

  private async tagsOf(contact: IntercomContact): Promise<Result<string[], ConnectorError>> {
    const embedded = contact.tags;
    if (embedded?.has_more === true) {
      const all = await this.intercom.listContactTags(contact.id);
      return all.ok ? ok(all.value.map((tag) => tag.name)) : all;
    }
    const ids = (embedded?.data ?? []).map((tag) => tag.id);
    if (ids.length === 0) return ok([]);
    const cachedEarlier = this.tagNames !== null;
    const cached = await this.tagList(false);
    if (!cached.ok) return cached;
    const missing = ids.some((id) => !cached.value.has(id));
    // A tag newer than the cached list: read the list again.
    const known = cachedEarlier && missing ? await this.tagList(true) : cached;
    if (!known.ok) return known;
    const names = known.value;
    // A tag missing even from a fresh list was deleted since the contact was read.
    return ok(ids.flatMap((id) => {
      const name = names.get(id);
      return name === undefined ? [] : [name];
    }));
  }

  private async tagList(refresh: boolean): Promise<Result<Map<string, string>, ConnectorError>> {
    if (this.tagNames !== null && !refresh) return ok(this.tagNames);
    const tags = await this.intercom.listTags();
    if (!tags.ok) return tags;
    this.tagNames = new Map(tags.value.map((tag: IntercomTag) => [tag.id, tag.name]));
    return ok(this.tagNames);
  }
}
