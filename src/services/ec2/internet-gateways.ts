// Internet gateways: one per VPC, attached or detached.
import type { HandlerEnv } from '../../aws/service.ts';
import type { Tag } from './describe.ts';
import { K, newId, save } from './resources.ts';

export interface InternetGateway {
  InternetGatewayId: string;
  OwnerId: string;
  Attachments: { VpcId: string; State: 'attaching' | 'available' | 'attached' | 'detaching' | 'detached' }[];
  Tags?: Tag[];
}

export function createInternetGatewayRecord(env: HandlerEnv, attachTo?: string, tags?: Tag[]): InternetGateway {
  return save(env, K.internetGateway, {
    InternetGatewayId: newId('igw'),
    OwnerId: env.scope.account,
    Attachments: attachTo ? [{ VpcId: attachTo, State: 'available' }] : [],
    Tags: tags,
  } satisfies InternetGateway);
}
