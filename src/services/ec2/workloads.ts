// Moved to src/records/workloads.ts (the load balancer data plane reads it).
export * from '../../records/workloads.ts';
