import type { LocalizedText } from '@yunwei/contracts/i18n';

/**
 * What a socket or TLS error code means, for people: "连接被拒绝（ECONNREFUSED）" rather than the bare
 * code. The code stays in the text (administrators search for it). Null for a code not listed.
 */
export function networkErrorText(code: string): LocalizedText | null {
  const known = CODES[code];
  return known ? { zh: `${known.zh}（${code}）`, en: `${known.en} (${code})` } : null;
}

const CODES: Record<string, LocalizedText> = {
  ECONNREFUSED: { zh: '连接被拒绝，对方端口没有服务在监听', en: 'connection refused: nothing listens on that port' },
  ECONNRESET: { zh: '连接被对方重置', en: 'the connection was reset by the other end' },
  ETIMEDOUT: { zh: '连接超时', en: 'the connection timed out' },
  ESOCKETTIMEDOUT: { zh: '连接超时', en: 'the connection timed out' },
  ENOTFOUND: { zh: '域名无法解析', en: 'the host name does not resolve' },
  EAI_AGAIN: { zh: '域名暂时无法解析（DNS 服务器无响应）', en: 'the host name cannot be resolved right now (no answer from DNS)' },
  EHOSTUNREACH: { zh: '主机不可达', en: 'the host is unreachable' },
  ENETUNREACH: { zh: '网络不可达', en: 'the network is unreachable' },
  EPIPE: { zh: '连接已被对方关闭', en: 'the other end closed the connection' },
  CERT_HAS_EXPIRED: { zh: 'TLS 证书已过期', en: 'the TLS certificate has expired' },
  DEPTH_ZERO_SELF_SIGNED_CERT: { zh: 'TLS 证书是自签名的，不受信任', en: 'the TLS certificate is self-signed and not trusted' },
  SELF_SIGNED_CERT_IN_CHAIN: { zh: 'TLS 证书链中有自签名证书，不受信任', en: 'the TLS certificate chain holds a self-signed certificate and is not trusted' },
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: { zh: '无法验证 TLS 证书链（缺少中间证书？）', en: 'the TLS certificate chain cannot be verified (an intermediate certificate missing?)' },
  ERR_TLS_CERT_ALTNAME_INVALID: { zh: 'TLS 证书与主机名不符', en: 'the TLS certificate does not name this host' },
};
