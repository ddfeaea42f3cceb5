// EC2 operations of this group, registered by src/services/ec2/index.ts.
import type { Handler } from '../../../aws/service.ts';

export const routingHandlers: Record<string, Handler> = {};
