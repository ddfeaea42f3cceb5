// The Elastic Load Balancing v2 service: query protocol, version 2015-12-01,
// signing name elasticloadbalancing, state per account and region. This is
// the control plane; the data plane (src/lb/) reads the records through
// state.ts. See README.md for what is emulated.
import { loadModel } from '../../aws/model.ts';
import { queryProtocol } from '../../aws/protocols/query.ts';
import type { Handler, ServiceDefinition } from '../../aws/service.ts';
import { ensureDefaults } from '../ec2/defaults.ts';
import { describeAccountLimits } from './limits.ts';
import { addListenerCertificates, createListener, deleteListener, describeListenerCertificates, describeListeners, modifyListener, removeListenerCertificates } from './listeners.ts';
import { createLoadBalancer, deleteLoadBalancer, describeLoadBalancerAttributes, describeLoadBalancers, modifyLoadBalancerAttributes, setIpAddressType, setSecurityGroups, setSubnets } from './load-balancers.ts';
import { createRule, deleteRule, describeRules, modifyRule, setRulePriorities } from './rules.ts';
import { describeSslPolicies } from './ssl-policies.ts';
import { addTags, describeTags, removeTags } from './tags.ts';
import { createTargetGroup, deleteTargetGroup, describeTargetGroupAttributes, describeTargetGroups, modifyTargetGroup, modifyTargetGroupAttributes } from './target-groups.ts';
import { deregisterTargets, describeTargetHealth, registerTargets } from './targets.ts';

const handlers: Record<string, Handler> = {
  CreateLoadBalancer: createLoadBalancer,
  DescribeLoadBalancers: describeLoadBalancers,
  DeleteLoadBalancer: deleteLoadBalancer,
  DescribeLoadBalancerAttributes: describeLoadBalancerAttributes,
  ModifyLoadBalancerAttributes: modifyLoadBalancerAttributes,
  SetSecurityGroups: setSecurityGroups,
  SetSubnets: setSubnets,
  SetIpAddressType: setIpAddressType,
  CreateTargetGroup: createTargetGroup,
  DescribeTargetGroups: describeTargetGroups,
  ModifyTargetGroup: modifyTargetGroup,
  DeleteTargetGroup: deleteTargetGroup,
  DescribeTargetGroupAttributes: describeTargetGroupAttributes,
  ModifyTargetGroupAttributes: modifyTargetGroupAttributes,
  RegisterTargets: registerTargets,
  DeregisterTargets: deregisterTargets,
  DescribeTargetHealth: describeTargetHealth,
  CreateListener: createListener,
  DescribeListeners: describeListeners,
  ModifyListener: modifyListener,
  DeleteListener: deleteListener,
  AddListenerCertificates: addListenerCertificates,
  RemoveListenerCertificates: removeListenerCertificates,
  DescribeListenerCertificates: describeListenerCertificates,
  CreateRule: createRule,
  DescribeRules: describeRules,
  ModifyRule: modifyRule,
  DeleteRule: deleteRule,
  SetRulePriorities: setRulePriorities,
  AddTags: addTags,
  RemoveTags: removeTags,
  DescribeTags: describeTags,
  DescribeSSLPolicies: describeSslPolicies,
  DescribeAccountLimits: describeAccountLimits,
};

export function elbv2Service(): ServiceDefinition {
  return {
    name: 'elbv2',
    signingNames: ['elasticloadbalancing'],
    model: loadModel('elbv2'),
    protocol: queryProtocol,
    handlers,
    // Subnets, VPCs and security groups come from EC2, whose default VPC appears on first use.
    prepare: ensureDefaults,
  };
}
