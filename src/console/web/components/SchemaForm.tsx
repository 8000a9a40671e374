import { useState } from "preact/hooks";
import type { JsonSchema } from "../api";

type Values = Record<string, string>;

function fieldType(schema: JsonSchema): "text" | "number" | "checkbox" | "select" | "json" {
  if (schema.enum !== undefined) return "select";
  if (schema.type === "integer" || schema.type === "number") return "number";
  if (schema.type === "boolean") return "checkbox";
  if (schema.type === "object" || schema.type === "array") return "json";
  return "text";
}

/** The input a form's values make, by the schema: numbers as numbers, JSON fields parsed, empty fields left out. */
export function inputOf(schema: JsonSchema, values: Values): { ok: true; input: Record<string, unknown> } | { ok: false; field: string; message: string } {
  const input: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const raw = values[name] ?? "";
    const type = fieldType(property);
    if (type === "checkbox") {
      if (raw === "true") input[name] = true;
      else if (raw === "false") input[name] = false;
      continue;
    }
    if (raw === "") continue;
    if (type === "number") input[name] = Number(raw);
    else if (type === "json") {
      try {
        input[name] = JSON.parse(raw);
      } catch {
        return { ok: false, field: name, message: `${name}: not valid JSON` };
      }
    } else if (property.enum !== undefined && typeof property.enum[0] === "number") input[name] = Number(raw);
    else input[name] = raw;
  }
  return { ok: true, input };
}

/**
 * A form generated from an action's JSON Schema: one labelled field per property (required ones
 * marked), a select for an enum, a checkbox for a boolean, a JSON text area for an object or a
 * list. The service checks the input; the form only shapes it.
 */
export function SchemaForm(props: { id: string; schema: JsonSchema; busy: boolean; onSubmit: (input: Record<string, unknown>) => void; fieldError?: string | undefined }) {
  const [values, setValues] = useState<Values>({});
  const [local, setLocal] = useState<string | null>(null);
  const required = new Set(props.schema.required ?? []);
  const set = (name: string, value: string): void => setValues({ ...values, [name]: value });
  const properties = Object.entries(props.schema.properties ?? {});

  return (
    <form
      class="schema-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const made = inputOf(props.schema, values);
        if (!made.ok) {
          setLocal(made.message);
          return;
        }
        setLocal(null);
        props.onSubmit(made.input);
      }}
    >
      {properties.length === 0 ? <p class="muted">This action takes no input.</p> : null}
      {properties.map(([name, property]) => {
        const fieldId = `${props.id}-${name}`;
        const type = fieldType(property);
        const invalid = props.fieldError === name || props.fieldError?.startsWith(`${name}.`) === true;
        const label = (
          <label for={fieldId}>
            {name}
            {required.has(name) ? <span aria-hidden="true"> *</span> : null}
            {required.has(name) ? <span class="visually-hidden"> (required)</span> : null}
          </label>
        );
        const hint = property.description === undefined ? null : <small id={`${fieldId}-hint`}>{property.description}</small>;
        const described = property.description === undefined ? {} : { "aria-describedby": `${fieldId}-hint` };
        if (type === "select") {
          return (
            <div class="field" key={name}>
              {label}
              <select id={fieldId} name={name} value={values[name] ?? ""} aria-invalid={invalid} onChange={(e) => set(name, e.currentTarget.value)} {...described}>
                <option value="">(not set)</option>
                {(property.enum ?? []).map((v) => (
                  <option value={String(v)} key={String(v)}>
                    {String(v)}
                  </option>
                ))}
              </select>
              {hint}
            </div>
          );
        }
        if (type === "checkbox") {
          return (
            <div class="field" key={name}>
              {label}
              <select id={fieldId} name={name} value={values[name] ?? ""} aria-invalid={invalid} onChange={(e) => set(name, e.currentTarget.value)} {...described}>
                <option value="">(not set)</option>
                <option value="true">true</option>
                <option value="false">false</option>
              </select>
              {hint}
            </div>
          );
        }
        if (type === "json") {
          return (
            <div class="field" key={name}>
              {label}
              <textarea id={fieldId} name={name} rows={3} placeholder={property.type === "array" ? "[ … ] (JSON)" : "{ … } (JSON)"} aria-invalid={invalid} value={values[name] ?? ""} onInput={(e) => set(name, e.currentTarget.value)} {...described} />
              {hint}
            </div>
          );
        }
        const common = {
          id: fieldId,
          name,
          required: required.has(name),
          "aria-invalid": invalid,
          value: values[name] ?? "",
          onInput: (e: { currentTarget: HTMLInputElement }) => set(name, e.currentTarget.value),
          ...described,
        };
        return (
          <div class="field" key={name}>
            {label}
            {/* The service checks every value (its error names the field): the browser's own checks would only hide that. */}
            {type === "number" ? <input type="number" step="any" {...common} /> : <input type="text" inputMode={property.format === "email" ? "email" : "text"} {...common} />}
            {hint}
          </div>
        );
      })}
      {local === null ? null : (
        <p role="alert" class="error">
          {local}
        </p>
      )}
      <button type="submit" disabled={props.busy}>
        {props.busy ? "Running…" : "Run"}
      </button>
    </form>
  );
}
