// The EC2 protocol: form-encoded requests (Action=...), XML responses named
// <OperationResponse> with a lower-case requestId, errors as
// <Response><Errors><Error>...</Error></Errors><RequestID>.
import type { RequestContext } from '../context.ts';
import type { AwsError } from '../errors.ts';
import { resolve, type ServiceModel } from '../model.ts';
import { buildTree, formParams, readInput } from './form.ts';
import type { Protocol, WireRequest, WireResponse } from './wire.ts';
import { escapeXml, writeMembers } from './xml-writer.ts';

const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';

function namespace(model: ServiceModel): string {
  const ns = model.metadata.xmlNamespace ?? `http://${model.metadata.endpointPrefix}.amazonaws.com/doc/${model.metadata.apiVersion}`;
  return ns.endsWith('/') ? ns : `${ns}/`;
}

export const ec2Protocol: Protocol = {
  operationOf(req) {
    return formParams(req).get('Action') ?? undefined;
  },

  parse(req, model, operation) {
    return readInput(model, model.operations[operation].input, buildTree(formParams(req), 'ec2'), 'ec2');
  },

  serialize(ctx, model, operation, output) {
    const out = [`${XML_DECL}<${operation}Response xmlns="${namespace(model)}"><requestId>${ctx.requestId}</requestId>`];
    const shape = model.operations[operation].output;
    if (shape && output) writeMembers(model, resolve(model, shape), output as Record<string, unknown>, out);
    out.push(`</${operation}Response>`);
    return xmlResponse(200, out.join(''));
  },

  serializeError(ctx: RequestContext, _model, err: AwsError): WireResponse {
    const body = `${XML_DECL}<Response><Errors><Error><Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message></Error></Errors><RequestID>${ctx.requestId}</RequestID></Response>`;
    return xmlResponse(err.status, body);
  },
};

export function xmlResponse(status: number, body: string): WireResponse {
  return { status, headers: { 'content-type': 'text/xml;charset=UTF-8' }, body };
}

export type { WireRequest };
