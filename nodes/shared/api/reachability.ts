/**
 * Whether Kirin, on the public internet, can call a URL back. Judged from the URL alone (node
 * code resolves no names): an address or a name that only means something on this machine or
 * inside a private network cannot be reached from outside, and n8n's Test URL listens only
 * while the editor waits for a test event. When the API's Base URL is itself local (the
 * simulator, a proxy on the same host or network), whoever answers there may well reach such a
 * URL, so nothing is judged.
 */

/** Why Kirin cannot reach a URL, as the end of a sentence ("… because <reason>"), or null. */
export type ReachVerdict = string | null;

/** Names only this machine or a private network resolves (RFC 6761, RFC 6762, RFC 8375, ICANN's .internal). */
const LOCAL_SUFFIXES = ['.localhost', '.local', '.internal', '.lan', '.home.arpa'];

function ipv4Parts(host: string): number[] | null {
	const parts = host.split('.');
	if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part))) return null;
	const numbers = parts.map(Number);
	return numbers.every((part) => part <= 255) ? numbers : null;
}

function ipv4Reason(host: string): ReachVerdict | undefined {
	const parts = ipv4Parts(host);
	if (parts === null) return undefined;
	const [a, b] = parts;
	if (a === 127) return `${host} is a loopback address (this machine only)`;
	if (a === 0) return `${host} is not an address anyone can call`;
	if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) {
		return `${host} is a private network address`;
	}
	if (a === 100 && b >= 64 && b <= 127)
		return `${host} is a carrier-grade NAT address, not reachable from outside`;
	if (a === 169 && b === 254) return `${host} is a link-local address`;
	if (a === 198 && (b === 18 || b === 19))
		return `${host} is a benchmarking address (198.18.0.0/15), not reachable from the internet`;
	if (a >= 224 && a <= 239) return `${host} is a multicast address, not one server's`;
	if (a >= 240) return `${host} is a reserved address, not reachable from the internet`;
	return null;
}

/**
 * IPv6 prefixes whose last 32 bits are an IPv4 address: IPv4-mapped (`::ffff:0:0/96`) and the
 * NAT64 well-known prefix (`64:ff9b::/96`, RFC 6052), which reaches that IPv4 address through a
 * gateway. Each is as reachable as the IPv4 address inside.
 */
const IPV4_EMBEDDING = [
	{ prefix: '::ffff:', groups: [2] },
	// After `64:ff9b::` URL drops the zeros of a small IPv4 (`64:ff9b::5` is 0.0.0.5, `64:ff9b::` 0.0.0.0).
	{ prefix: '64:ff9b::', groups: [0, 1, 2] },
];

/** The IPv4 address inside such an IPv6 address, as URL writes it (`::ffff:7f00:1`), or null. */
function embeddedIpv4(address: string): string | null {
	const embedding = IPV4_EMBEDDING.find(({ prefix }) => address.startsWith(prefix));
	if (!embedding) return null;
	const rest = address.slice(embedding.prefix.length);
	if (/^\d+\.\d+\.\d+\.\d+$/.test(rest)) return rest;
	const groups = rest === '' ? [] : rest.split(':');
	if (!embedding.groups.includes(groups.length) || !groups.every((group) => /^[0-9a-f]{1,4}$/.test(group)))
		return null;
	const [high, low] = [0, 0, ...groups.map((group) => parseInt(group, 16))].slice(-2);
	return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

function ipv6Reason(host: string): ReachVerdict | undefined {
	if (!host.startsWith('[')) return undefined;
	const address = host.slice(1, -1).toLowerCase();
	const inside = embeddedIpv4(address);
	if (inside !== null) {
		const reason = ipv4Reason(inside);
		return reason ? `${host}: ${reason}` : null;
	}
	if (address === '::1') return `${host} is a loopback address (this machine only)`;
	if (address === '::') return `${host} is not an address anyone can call`;
	if (/^f[cd][0-9a-f]{0,2}:/.test(address)) return `${host} is a private (unique local) network address`;
	if (/^fe[89ab][0-9a-f]?:/.test(address)) return `${host} is a link-local address`;
	if (address.startsWith('ff')) return `${host} is a multicast address, not one server's`;
	return null;
}

function nameReason(host: string): ReachVerdict {
	if (host === 'localhost') return 'localhost is this machine only';
	const suffix = LOCAL_SUFFIXES.find((ending) => host.endsWith(ending));
	if (suffix) return `${host} is a ${suffix} name, known only inside a private network`;
	// A single label (`n8n`, a Docker service name) resolves only inside its own network.
	if (!host.includes('.')) return `${host} is a name known only inside its own network`;
	return null;
}

/** Why a host is local (this machine or a private network), or null for a public one. */
export function localHostReason(hostname: string): ReachVerdict {
	const host = hostname.toLowerCase().replace(/\.$/, '');
	// undefined: not an address of that kind; null: an address of that kind, and public.
	const ipv6 = ipv6Reason(host);
	if (ipv6 !== undefined) return ipv6;
	const ipv4 = ipv4Reason(host);
	return ipv4 !== undefined ? ipv4 : nameReason(host);
}

function parse(url: string): URL | null {
	try {
		return new URL(url);
	} catch {
		return null;
	}
}

/**
 * Why Kirin, answering at `apiBaseUrl`, cannot call `callbackUrl` back, or null when it can or
 * when that cannot be judged (a local Base URL, a URL that does not parse).
 */
export function judgeReach(callbackUrl: string, apiBaseUrl: string): ReachVerdict {
	const api = parse(apiBaseUrl);
	const callback = parse(callbackUrl);
	if (api === null || callback === null || localHostReason(api.hostname) !== null) return null;
	const local = localHostReason(callback.hostname);
	if (local !== null) return local;
	if (callback.pathname.includes('/webhook-test/')) {
		return "it is n8n's Test URL (/webhook-test/), which listens only while the editor waits for a test event; use the Production URL and activate the workflow";
	}
	return null;
}

/** A URL as it may be shown: without its query (a callback secret, n8n's resume signature). */
export function shownUrl(url: string): string {
	const parsed = parse(url);
	return parsed === null ? url : `${parsed.origin}${parsed.pathname}`;
}

/** What to do so Kirin can reach this n8n. */
export const REACH_FIX =
	"Set n8n's WEBHOOK_URL to a public address of this n8n (https://…), or put n8n behind a tunnel (for example ngrok or cloudflared) and set WEBHOOK_URL to the tunnel's address; n8n Cloud needs nothing.";
