// The query protocol (ELBv2 and other older services): form-encoded requests,
// <OperationResponse><OperationResult>...</OperationResult><ResponseMetadata>
// responses, and <ErrorResponse><Error><Type/><Code/><Message/></Error> errors.
import { inputEnums } from '../enums.ts';
import { resolve, type ServiceModel } from '../model.ts';
import { xmlResponse } from './ec2.ts';
import { buildTree, formParams, readInput } from './form.ts';
import type { Protocol } from './wire.ts';
import { escapeXml, writeMembers } from './xml-writer.ts';

function namespace(model: ServiceModel): string {
  return model.metadata.xmlNamespace ?? `http://${model.metadata.endpointPrefix}.amazonaws.com/doc/${model.metadata.apiVersion}/`;
}

export const queryProtocol: Protocol = {
  operationOf(req) {
    return formParams(req).get('Action') ?? undefined;
  },

  parse(req, model, operation) {
    return readInput(model, model.operations[operation].input, buildTree(formParams(req), 'query'), 'query', inputEnums(model, operation));
  },

  serialize(ctx, model, operation, output) {
    const out = [`<${operation}Response xmlns="${namespace(model)}">`];
    const ref = model.operations[operation].output;
    if (ref) {
      const shape = resolve(model, ref);
      const wrapper = shape.resultWrapper ?? `${operation}Result`;
      out.push(`<${wrapper}>`);
      if (output) writeMembers(model, shape, output as Record<string, unknown>, out);
      out.push(`</${wrapper}>`);
    }
    out.push(`<ResponseMetadata><RequestId>${ctx.requestId}</RequestId></ResponseMetadata></${operation}Response>`);
    return xmlResponse(200, out.join(''));
  },

  serializeError(ctx, model, err) {
    const ns = model ? ` xmlns="${namespace(model)}"` : '';
    const body = `<ErrorResponse${ns}><Error><Type>${err.fault}</Type><Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message></Error><RequestId>${ctx.requestId}</RequestId></ErrorResponse>`;
    return xmlResponse(err.status, body);
  },
};
