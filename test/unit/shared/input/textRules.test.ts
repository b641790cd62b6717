import {
	checkDuration,
	checkHttpUrl,
	checkPrompt,
	checkTaskId,
} from '../../../../nodes/shared/input/textRules';

describe('checkPrompt', () => {
	it('accepts 2500 characters and rejects 2501', () => {
		expect(checkPrompt('a'.repeat(2500))).toEqual({ ok: true, value: 'a'.repeat(2500) });
		expect(checkPrompt('a'.repeat(2501))).toMatchObject({
			ok: false,
			reason: 'The prompt has 2501 characters; Kirin accepts at most 2500',
		});
	});

	it('counts an emoji as one character', () => {
		expect(checkPrompt('🎬'.repeat(2500)).ok).toBe(true);
		expect(checkPrompt('🎬'.repeat(2501)).ok).toBe(false);
	});

	it.each(['', '   ', undefined, 42])('rejects %p', (value) => {
		expect(checkPrompt(value)).toMatchObject({
			ok: false,
			reason: 'The prompt is empty',
		});
	});
});

describe('checkDuration', () => {
	it.each([
		[5, '5'],
		['5', '5'],
		[10, '10'],
		[' 10 ', '10'],
	])('accepts %p', (value, expected) => {
		expect(checkDuration(value)).toEqual({ ok: true, value: expected });
	});

	it.each([0, 7, '15', '', null, '5s'])('rejects %p', (value) => {
		expect(checkDuration(value).ok).toBe(false);
	});
});

describe('checkHttpUrl', () => {
	it('accepts http and https', () => {
		expect(checkHttpUrl('https://cdn.example.com/a.png', 'The image URL')).toEqual({
			ok: true,
			value: 'https://cdn.example.com/a.png',
		});
		expect(checkHttpUrl(' http://127.0.0.1:8080/x ', 'The image URL')).toEqual({
			ok: true,
			value: 'http://127.0.0.1:8080/x',
		});
	});

	it.each([
		['', 'The image URL is empty'],
		['   ', 'The image URL is empty'],
		['not a url', 'The image URL "not a url" is not a valid URL'],
		['http://', 'The image URL "http://" is not a valid URL'],
		['ftp://example.com/a.png', 'The image URL uses "ftp:", which Kirin cannot fetch'],
		['file:///etc/passwd', 'The image URL uses "file:", which Kirin cannot fetch'],
		['data:image/png;base64,AAAA', 'The image URL uses "data:", which Kirin cannot fetch'],
	])('rejects %p', (value, reason) => {
		expect(checkHttpUrl(value, 'The image URL')).toMatchObject({ ok: false, reason });
	});
});

describe('checkTaskId', () => {
	it('accepts IDs', () => {
		expect(checkTaskId(' task_123 ', 'The task ID')).toEqual({ ok: true, value: 'task_123' });
		expect(checkTaskId('n8n-0123456789abcdef', 'The task ID').ok).toBe(true);
	});

	it.each(['', '   ', 'a b', 'a/b', 'a?b', 'a#b', 'x'.repeat(129), undefined])('rejects %p', (value) => {
		expect(checkTaskId(value, 'The task ID').ok).toBe(false);
	});
});
