// Serializes a value to XML following a model shape. Shared by the ec2,
// query and rest-xml protocols, which differ only in element naming.
import { resolve, type ServiceModel, type Shape } from '../model.ts';

/** Escapes element text (AWS leaves quotes and apostrophes literal in text). */
export function escapeXml(s: string): string {
  return s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
}

export function scalarText(shape: Shape, value: unknown): string {
  if (shape.type === 'timestamp') {
    const d = value instanceof Date ? value : new Date(value as string | number);
    return d.toISOString();
  }
  if (shape.type === 'blob' && Buffer.isBuffer(value)) return value.toString('base64');
  return String(value);
}

/** Writes the members of a structure (without its own element) into out. */
export function writeMembers(model: ServiceModel, shape: Shape, value: Record<string, unknown>, out: string[]): void {
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const v = value[name];
    if (v === undefined || v === null) continue;
    const member = resolve(model, ref);
    if (member.location || member.xmlAttribute) continue; // headers/status travel outside the body
    writeElement(model, member, v, member.locationName ?? name, out);
  }
}

function writeElement(model: ServiceModel, shape: Shape, value: unknown, name: string, out: string[]): void {
  switch (shape.type) {
    case 'structure':
      out.push(`<${name}>`);
      writeMembers(model, shape, value as Record<string, unknown>, out);
      out.push(`</${name}>`);
      return;
    case 'list': {
      const member = resolve(model, shape.member!);
      const items = value as unknown[];
      if (shape.flattened) {
        for (const item of items) writeElement(model, member, item, member.locationName ?? name, out);
        return;
      }
      if (items.length === 0) {
        out.push(`<${name}/>`);
        return;
      }
      out.push(`<${name}>`);
      for (const item of items) writeElement(model, member, item, member.locationName ?? 'member', out);
      out.push(`</${name}>`);
      return;
    }
    case 'map': {
      const key = resolve(model, shape.key!);
      const val = resolve(model, shape.value!);
      const entries = Object.entries(value as Record<string, unknown>);
      if (!shape.flattened) out.push(`<${name}>`);
      for (const [k, v] of entries) {
        out.push(shape.flattened ? `<${name}>` : '<entry>');
        writeElement(model, key, k, key.locationName ?? 'key', out);
        writeElement(model, val, v, val.locationName ?? 'value', out);
        out.push(shape.flattened ? `</${name}>` : '</entry>');
      }
      if (!shape.flattened) out.push(`</${name}>`);
      return;
    }
    default:
      out.push(`<${name}>${escapeXml(scalarText(shape, value))}</${name}>`);
  }
}
