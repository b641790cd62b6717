import { judgeReach, localHostReason, shownUrl } from '../../../../nodes/shared/api/reachability';

const PUBLIC_API = 'https://cloud.vtrix.ai';

describe('whether Kirin can call a URL back', () => {
	it.each([
		['http://localhost:5678/webhook-waiting/1', 'localhost is this machine only'],
		['http://n8n.localhost/webhook/x', 'n8n.localhost is a .localhost name'],
		['http://127.0.0.1:5678/webhook/x', '127.0.0.1 is a loopback address'],
		['http://127.8.9.10/webhook/x', '127.8.9.10 is a loopback address'],
		['http://0.0.0.0:5678/webhook/x', '0.0.0.0 is not an address anyone can call'],
		['http://10.1.2.3/webhook/x', '10.1.2.3 is a private network address'],
		['http://172.16.0.9/webhook/x', '172.16.0.9 is a private network address'],
		['http://172.31.255.1/webhook/x', '172.31.255.1 is a private network address'],
		['http://192.168.1.20:5678/webhook/x', '192.168.1.20 is a private network address'],
		['http://100.64.0.1/webhook/x', 'carrier-grade NAT'],
		['http://169.254.169.254/webhook/x', '169.254.169.254 is a link-local address'],
		['http://[::1]:5678/webhook/x', '[::1] is a loopback address'],
		['http://[fd12:3456::1]/webhook/x', 'unique local'],
		['http://[fe80::1]/webhook/x', '[fe80::1] is a link-local address'],
		['http://[::ffff:127.0.0.1]/webhook/x', '127.0.0.1 is a loopback address'],
		['http://[::ffff:c0a8:114]/webhook/x', '192.168.1.20 is a private network address'],
		['http://0.1.2.3/webhook/x', '0.1.2.3 is not an address anyone can call'],
		['http://100.127.255.254/webhook/x', 'carrier-grade NAT'],
		['http://198.18.0.1/webhook/x', '198.18.0.1 is a benchmarking address'],
		['http://198.19.255.254/webhook/x', '198.19.255.254 is a benchmarking address'],
		['http://224.0.0.251/webhook/x', '224.0.0.251 is a multicast address'],
		['http://239.255.255.250/webhook/x', '239.255.255.250 is a multicast address'],
		['http://240.0.0.1/webhook/x', '240.0.0.1 is a reserved address'],
		['http://255.255.255.255/webhook/x', '255.255.255.255 is a reserved address'],
		['http://[ff02::1]/webhook/x', '[ff02::1] is a multicast address'],
		['http://[::ffff:10.0.0.1]/webhook/x', '10.0.0.1 is a private network address'],
		['http://[::ffff:198.18.0.1]/webhook/x', '198.18.0.1 is a benchmarking address'],
		['http://[64:ff9b::10.0.0.1]/webhook/x', '[64:ff9b::a00:1]: 10.0.0.1 is a private network address'],
		['http://[64:ff9b::c0a8:114]/webhook/x', '192.168.1.20 is a private network address'],
		['http://[64:ff9b::127.0.0.1]/webhook/x', '127.0.0.1 is a loopback address'],
		['http://[64:ff9b::100.64.0.1]/webhook/x', 'carrier-grade NAT'],
		['http://[64:ff9b::0.0.0.5]/webhook/x', '0.0.0.5 is not an address anyone can call'],
		['http://[64:ff9b::]/webhook/x', '0.0.0.0 is not an address anyone can call'],
		['http://nas.local:5678/webhook/x', 'nas.local is a .local name'],
		['http://n8n.corp.internal/webhook/x', '.internal name'],
		['http://router.home.arpa/webhook/x', '.home.arpa name'],
		['http://n8n:5678/webhook/x', 'n8n is a name known only inside its own network'],
		['https://n8n.example.com/webhook-test/abc/kirin', "n8n's Test URL"],
	])('%s cannot be reached from the public API: %s', (url, reason) => {
		expect(judgeReach(url, PUBLIC_API)).toContain(reason);
	});

	it.each([
		'https://n8n.example.com/webhook/abc/kirin',
		'https://n8n.example.com/webhook-waiting/42?signature=x',
		'http://203.0.113.7:5678/webhook/x',
		'http://172.32.0.1/webhook/x',
		'http://[2001:db8::1]/webhook/x',
		'http://[::ffff:cb00:7107]/webhook/x',
		'http://198.17.255.1/webhook/x',
		'http://198.20.0.1/webhook/x',
		'http://223.255.255.1/webhook/x',
		'http://100.128.0.1/webhook/x',
		'http://[64:ff9b::8.8.8.8]/webhook/x',
	])('%s can be reached', (url) => {
		expect(judgeReach(url, PUBLIC_API)).toBeNull();
	});

	it.each([
		'http://127.0.0.1:4010',
		'http://localhost:4010',
		'http://192.168.1.5',
		'http://kirin-proxy.internal',
		'http://[::1]:4010',
	])('judges nothing when the API itself is local (%s): whoever answers there may reach n8n', (base) => {
		expect(judgeReach('http://localhost:5678/webhook-test/x/kirin', base)).toBeNull();
	});

	it('judges nothing it cannot read', () => {
		expect(judgeReach('not a url', PUBLIC_API)).toBeNull();
		expect(judgeReach('http://localhost/x', 'not a url')).toBeNull();
	});

	it('reads names in any case, with or without the trailing dot', () => {
		expect(localHostReason('LOCALHOST.')).toContain('localhost');
		expect(localHostReason('cloud.vtrix.ai.')).toBeNull();
	});

	it('shows a URL without its query: no callback secret, no resume signature', () => {
		expect(shownUrl('http://localhost:5678/webhook/x/kirin?token=s3cret')).toBe(
			'http://localhost:5678/webhook/x/kirin',
		);
	});
});
