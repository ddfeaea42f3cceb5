// An analysis as the lines `localnet why` prints: both paths hop by hop, then
// what blocks and the fix.
import type { Analysis, Hop } from './types.ts';

function hopLine(h: Hop): string {
  const dir = h.direction ? ` ${h.direction === 'ingress' ? 'in' : 'out'}` : '';
  const label = h.kind === 'network-interface' || h.kind === 'internet' ? '' : `${h.Component.Id}${dir}: `;
  return `  ${String(h.SequenceNumber).padStart(2)}. ${h.kind.padEnd(22)} ${label}${h.note}`;
}

export function formatAnalysis(a: Analysis): string[] {
  const lines: string[] = [];
  const addrs = a.sourceIp && a.destinationIp ? `, ${a.sourceIp} → ${a.destinationIp}` : '';
  lines.push(a.pathFound ? `REACHABLE (${a.protocol} ${a.port}${addrs})` : `NOT REACHABLE (${a.protocol} ${a.port}${addrs})`);
  for (const n of a.notes) lines.push(`  note: ${n}`);
  if (a.forward.length) lines.push('forward path:', ...a.forward.map(hopLine));
  if (a.return.length) lines.push('return path:', ...a.return.map(hopLine));
  for (const b of a.blocks) {
    const e = b.explanation;
    const where = e.Acl?.Id ?? e.SecurityGroups?.map((g) => g.Id).join(', ') ?? e.RouteTable?.Id ?? e.Component?.Id ?? '';
    lines.push(`BLOCKED on the ${b.path} path${where ? ` at ${where}` : ''}: ${e.ExplanationCode}${e.Direction ? ` (${e.Direction})` : ''}`);
    lines.push(`  ${b.message}`);
    lines.push(`  fix: ${b.fix}`);
  }
  return lines;
}
