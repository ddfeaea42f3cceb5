// AWS-managed prefix lists of the gateway endpoint services (S3 and
// DynamoDB): the list a gateway endpoint's route names
// (DestinationPrefixListId) and the public ranges it stands for, which the
// reachability engine matches destinations against. AWS publishes them with
// DescribePrefixLists; the ids and ranges below are us-east-1's as AWS
// returned them (the ranges grow over time: an address outside them is
// treated as the internet). Other regions get a stand-in id and no ranges
// unless listed here.

export interface ManagedPrefixList {
  id: string;
  name: string;
  cidrs: string[];
}

const LISTS: Record<string, ManagedPrefixList> = {
  'com.amazonaws.us-east-1.s3': {
    id: 'pl-63a5400a',
    name: 'com.amazonaws.us-east-1.s3',
    cidrs: ['3.5.0.0/19', '16.182.0.0/16', '18.34.0.0/19', '18.34.232.0/21', '44.192.134.240/28', '44.192.140.64/28', '52.216.0.0/15', '54.231.0.0/16'],
  },
  'com.amazonaws.us-east-1.dynamodb': {
    id: 'pl-02cd2c6b',
    name: 'com.amazonaws.us-east-1.dynamodb',
    cidrs: ['3.218.180.0/22', '3.218.184.0/22', '52.94.0.0/22', '52.119.224.0/20'],
  },
};

/** The managed prefix list of a gateway endpoint service (com.amazonaws.<region>.s3 | dynamodb), when localnet knows it. */
export function managedPrefixList(serviceName: string): ManagedPrefixList | undefined {
  return LISTS[serviceName];
}
