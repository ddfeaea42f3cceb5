// A TLS listener's ALPN policy (CreateListener AlpnPolicy) as the protocols
// the NLB offers, in its order of preference: the server's list decides
// which protocol wins when the client offers several.
export const ALPN_POLICIES = ['HTTP1Only', 'HTTP2Only', 'HTTP2Optional', 'HTTP2Preferred', 'None'] as const;

export function alpnProtocols(policy: string | undefined): string[] {
  switch (policy) {
    case 'HTTP1Only': return ['http/1.1'];
    case 'HTTP2Only': return ['h2'];
    case 'HTTP2Optional': return ['http/1.1', 'h2'];
    case 'HTTP2Preferred': return ['h2', 'http/1.1'];
    default: return [];
  }
}
