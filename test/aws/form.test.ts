// Parsing form-encoded requests against real service models, both dialects.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AwsError } from '../../src/aws/errors.ts';
import { loadModel } from '../../src/aws/model.ts';
import { buildTree, readInput } from '../../src/aws/protocols/form.ts';
import { queryProtocol } from '../../src/aws/protocols/query.ts';
import type { WireRequest } from '../../src/aws/protocols/wire.ts';

function parse(service: string, operation: string, body: string, dialect: 'ec2' | 'query') {
  const model = loadModel(service);
  return readInput(model, model.operations[operation].input, buildTree(new URLSearchParams(body), dialect), dialect);
}

describe('form parsing, ec2 dialect', () => {
  it('reads flattened lists, nested structures and capitalised location names', () => {
    const input = parse('ec2', 'DescribeVpcs', 'Action=DescribeVpcs&Version=2016-11-15&VpcId.1=vpc-1&VpcId.2=vpc-2&Filter.1.Name=tag:Name&Filter.1.Value.1=a&Filter.1.Value.2=b&MaxResults=10&DryRun=false', 'ec2');
    assert.deepEqual(input, { VpcIds: ['vpc-1', 'vpc-2'], Filters: [{ Name: 'tag:Name', Values: ['a', 'b'] }], MaxResults: 10, DryRun: false });
  });

  it('orders list items by index, not by arrival', () => {
    const input = parse('ec2', 'DescribeVpcs', 'VpcId.10=c&VpcId.2=b&VpcId.1=a', 'ec2');
    assert.deepEqual(input.VpcIds, ['a', 'b', 'c']);
  });

  it('reads tag specifications', () => {
    const input = parse('ec2', 'CreateVpc', 'CidrBlock=10.0.0.0/16&TagSpecification.1.ResourceType=vpc&TagSpecification.1.Tag.1.Key=Name&TagSpecification.1.Tag.1.Value=x', 'ec2');
    assert.deepEqual(input, { CidrBlock: '10.0.0.0/16', TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'Name', Value: 'x' }] }] });
  });

  for (const [body, code] of [
    ['VpcId.x=1', 'InvalidParameterValue'],
    ['VpcId.0=1', 'InvalidParameterValue'],
    ['DryRun=yes', 'InvalidParameterValue'],
    ['Nope=1', 'UnknownParameter'],
    ['Filter.1.Nme=x', 'UnknownParameter'],
  ] as const) {
    it(`rejects ${body} with ${code}`, () => {
      assert.throws(() => parse('ec2', 'DescribeVpcs', body, 'ec2'), (e: AwsError) => e.code === code && e.status === 400);
    });
  }
});

describe('form parsing, query dialect (ELBv2)', () => {
  it('reads member-wrapped lists and nested members', () => {
    const input = parse('elbv2', 'DescribeLoadBalancers', 'Action=DescribeLoadBalancers&Version=2015-12-01&Names.member.1=a&Names.member.2=b&PageSize=5', 'query');
    assert.deepEqual(input, { Names: ['a', 'b'], PageSize: 5 });
    const rule = parse('elbv2', 'CreateRule', 'ListenerArn=arn&Priority=10&Conditions.member.1.Field=path-pattern&Conditions.member.1.Values.member.1=/api/*&Actions.member.1.Type=forward&Actions.member.1.TargetGroupArn=tg', 'query');
    assert.deepEqual(rule, { ListenerArn: 'arn', Priority: 10, Conditions: [{ Field: 'path-pattern', Values: ['/api/*'] }], Actions: [{ Type: 'forward', TargetGroupArn: 'tg' }] });
  });

  it('reports a missing required member as a ValidationError', () => {
    assert.throws(() => parse('elbv2', 'DeleteLoadBalancer', '', 'query'), (e: AwsError) => e.code === 'ValidationError' && /loadBalancerArn/.test(e.message));
  });

  it('serializes results inside <OperationResult> with member lists', () => {
    const model = loadModel('elbv2');
    const res = queryProtocol.serialize({ requestId: 'r1', account: '', region: '', accessKeyId: '', service: 'elbv2', operation: 'DescribeTags' }, model, 'DescribeTags', { TagDescriptions: [{ ResourceArn: 'arn:x', Tags: [{ Key: 'k', Value: 'v' }] }] });
    assert.equal(
      res.body,
      '<DescribeTagsResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><DescribeTagsResult><TagDescriptions><member><ResourceArn>arn:x</ResourceArn><Tags><member><Key>k</Key><Value>v</Value></member></Tags></member></TagDescriptions></DescribeTagsResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></DescribeTagsResponse>',
    );
    const req: WireRequest = { method: 'POST', path: '/', query: new URLSearchParams(), headers: {}, body: Buffer.from('Action=DescribeTags&Version=2015-12-01') };
    assert.equal(queryProtocol.operationOf(req, model), 'DescribeTags');
  });
});
