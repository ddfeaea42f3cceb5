// The Elastic Load Balancing v2 service: query protocol, version 2015-12-01,
// signing name elasticloadbalancing, state per account and region. This is
// the control plane; the data plane (src/lb/) reads the records through
// state.ts. Operations are registered one table per file (see
// src/aws/service.ts). See README.md for what is emulated.
import { loadModel } from '../../aws/model.ts';
import { queryProtocol } from '../../aws/protocols/query.ts';
import { mergeHandlers, type ServiceDefinition } from '../../aws/service.ts';
import { ensureDefaults } from '../ec2/defaults.ts';
import { limitHandlers } from './limits.ts';
import { listenerAttributeHandlers } from './listener-attributes.ts';
import { listenerHandlers } from './listeners.ts';
import { loadBalancerHandlers } from './load-balancers.ts';
import { ruleHandlers } from './rules.ts';
import { sslPolicyHandlers } from './ssl-policies.ts';
import { tagHandlers } from './tags.ts';
import { targetGroupHandlers } from './target-groups.ts';
import { targetHandlers } from './targets.ts';

export function elbv2Service(): ServiceDefinition {
  return {
    name: 'elbv2',
    signingNames: ['elasticloadbalancing'],
    model: loadModel('elbv2'),
    protocol: queryProtocol,
    handlers: mergeHandlers(loadBalancerHandlers, targetGroupHandlers, targetHandlers, listenerHandlers, listenerAttributeHandlers, ruleHandlers, tagHandlers, sslPolicyHandlers, limitHandlers),
    // Subnets, VPCs and security groups come from EC2, whose default VPC appears on first use.
    prepare: ensureDefaults,
  };
}
