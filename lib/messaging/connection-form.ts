import { connectionInput, type ConnectionInput, type ErrorResponse } from './protocol';
import type { LocalizedText } from '../model/transfer';

export type ConnectionField = keyof ConnectionInput;

/** The catalog key naming each field, as its label in the options page reads. */
export const CONNECTION_FIELD_LABELS: Record<ConnectionField, string> = {
  label: 'options_label',
  baseUrl: 'options_base_url',
  softwareHouseUuid: 'options_software_house',
  user: 'options_user',
  password: 'options_password',
};

export type ConnectionCheck =
  | { ok: true; value: ConnectionInput }
  | { ok: false; fields: Partial<Record<ConnectionField, LocalizedText>>; first: LocalizedText };

/**
 * The connection form checked field by field, each problem as a catalog message naming its field, so the form and
 * the worker say "Software house ID: fill this in" in the user's language instead of zod's English.
 */
export function checkConnection(input: unknown): ConnectionCheck {
  const parsed = connectionInput.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  const fields: Partial<Record<ConnectionField, LocalizedText>> = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0];
    if (typeof field !== 'string' || !(field in CONNECTION_FIELD_LABELS) || fields[field as ConnectionField]) continue;
    const name = field as ConnectionField;
    fields[name] = fieldText(name, issue, (input as Record<string, unknown> | null)?.[name]);
  }
  const order = Object.keys(CONNECTION_FIELD_LABELS) as ConnectionField[];
  const first = order.map((f) => fields[f]).find(Boolean) ?? { key: 'form_invalid', params: [] };
  return { ok: false, fields, first };
}

function fieldText(field: ConnectionField, issue: { code: string; maximum?: unknown }, value: unknown): LocalizedText {
  const label = `@${CONNECTION_FIELD_LABELS[field]}`;
  if (typeof value !== 'string' || value.trim() === '') return { key: 'form_required', params: [label] };
  if (issue.code === 'too_big') return { key: 'form_too_long', params: [label, String(issue.maximum ?? '')] };
  if (field === 'baseUrl') return { key: 'form_url', params: [label] };
  return { key: 'form_field_invalid', params: [label] };
}

/**
 * The worker's answer to a connection.save the schema refused: the first field's problem in the reader's language
 * (text) and every field's problem in English (message, for logs). Undefined for any other request.
 */
export function connectionSaveRefusal(raw: unknown): ErrorResponse | undefined {
  const request = raw as { type?: unknown; connection?: unknown } | null;
  if (request?.type !== 'connection.save') return undefined;
  const check = checkConnection(request.connection);
  if (check.ok) return undefined;
  const message = Object.entries(check.fields)
    .map(([field, text]) => `${field}: ${text!.key}`)
    .join('; ');
  return { ok: false, error: { code: 'bad-request', message: message || 'invalid connection', text: check.first } };
}
