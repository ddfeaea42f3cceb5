// Every store kind that more than one folder reads, in one place: services
// write these records, data planes and src/net/ read them. A kind is the
// first key of the store (kind, account, region, id); see src/store/store.ts.
export const KIND = {
  // EC2 (src/services/ec2/)
  vpc: 'ec2:vpc',
  subnet: 'ec2:subnet',
  routeTable: 'ec2:route-table',
  internetGateway: 'ec2:internet-gateway',
  natGateway: 'ec2:natgateway',
  elasticIp: 'ec2:elastic-ip',
  securityGroup: 'ec2:security-group',
  securityGroupRule: 'ec2:security-group-rule',
  networkAcl: 'ec2:network-acl',
  peering: 'ec2:vpc-peering-connection',
  networkInterface: 'ec2:network-interface',
  instance: 'ec2:instance',
  dhcpOptions: 'ec2:dhcp-options',
  // PrivateLink: a provider's endpoint service and a consumer's endpoint (the connection is the endpoint seen from the service)
  vpcEndpointService: 'ec2:vpc-endpoint-service',
  vpcEndpoint: 'ec2:vpc-endpoint',
  // ELBv2 (src/services/elbv2/; target health is written by the data plane, src/lb/)
  loadBalancer: 'elbv2:load-balancer',
  targetGroup: 'elbv2:target-group',
  target: 'elbv2:target',
  listener: 'elbv2:listener',
  rule: 'elbv2:rule',
  targetHealth: 'elbv2:target-health',
  // Route 53 and Route 53 Domains (global: region 'global')
  hostedZone: 'route53:hosted-zone',
  delegationSet: 'route53:delegation-set',
  domain: 'route53domains:domain',
  // ACM
  certificate: 'acm.certificate',
} as const;

export type Kind = (typeof KIND)[keyof typeof KIND];
