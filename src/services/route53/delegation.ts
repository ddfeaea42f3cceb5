// Moved to src/records/delegation.ts (the DNS views read it too).
export * from '../../records/delegation.ts';
