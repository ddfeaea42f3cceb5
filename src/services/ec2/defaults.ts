// What every account has in every region before it calls anything: the
// default DHCP options and the default VPC (172.31.0.0/16, a /20 default
// subnet per zone with public IPs on launch, an attached internet gateway and
// 0.0.0.0/0 to it in the main route table). Created on an account's first
// EC2 request in a region, inside its own transaction.
import type { HandlerEnv } from '../../aws/service.ts';
import { parseCidr4 } from '../../net/cidr.ts';
import { ensureDhcpOptions } from './dhcp-options.ts';
import { createInternetGatewayRecord } from './internet-gateways.ts';
import { zonesOf } from './regions.ts';
import { all, K, regionDefaults, save, saveRegionDefaults } from './resources.ts';
import { createSubnetRecord } from './subnets.ts';
import type { RouteTable } from './types.ts';
import { createVpcResources } from './vpcs.ts';

/** Creates the default VPC once per account and region (a deleted default VPC stays deleted, as on AWS). */
export function ensureDefaults(env: HandlerEnv): void {
  if (regionDefaults(env)?.defaultVpcId !== undefined) return;
  ensureDhcpOptions(env);
  const vpc = createVpcResources(env, { cidr: parseCidr4('172.31.0.0/16')!, isDefault: true });
  zonesOf(env.scope.region).forEach((zone, i) => {
    createSubnetRecord(env, vpc, parseCidr4(`172.31.${i * 16}.0/20`)!, zone.ZoneName, { defaultForAz: true });
  });
  const igw = createInternetGatewayRecord(env, vpc.VpcId);
  const main = all<RouteTable>(env, K.routeTable).find((t) => t.VpcId === vpc.VpcId)!;
  main.Routes.push({ DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw.InternetGatewayId, Origin: 'CreateRoute', State: 'active' });
  save(env, K.routeTable, main);
  saveRegionDefaults(env, { ...regionDefaults(env)!, defaultVpcId: vpc.VpcId });
}
