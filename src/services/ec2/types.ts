// The stored EC2 resources, defined in src/records/ec2.ts (data planes read
// them too). Each is the API's own shape (model member names), so Describe*
// return them as stored; members starting with '_' are localnet's
// bookkeeping and never reach the wire (the serializer writes only what the
// model names).
export type { CidrAssociation, Ipv6CidrAssociation, Vpc, Subnet, Route, RouteTableAssociation, RouteTable, NetworkAclEntry, NetworkAcl, PublicIpAssociation, NetworkInterface } from '../../records/ec2.ts';

