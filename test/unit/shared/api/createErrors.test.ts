import { ownIdKeptByFailedTaskError } from '../../../../nodes/shared/api/createErrors';
import type { Failure } from '../../../../nodes/shared/transport/outcome';
import { KIRIN_NODE } from '../../../support/testNodes';

const KEY = 'sk-live-very-secret-key';
const redact = (text: string) => text.split(KEY).join('[redacted]');
const context = { itemIndex: 2, externalTaskId: 'order-77', taskId: 'task_failed' };

describe('the error for an own External Task ID Kirin keeps for its failed task', () => {
	it("names the HTTP status in the message and Kirin's words in the description", () => {
		const refused: Failure = {
			kind: 'http-error',
			status: 409,
			body: { code: 409, message: `external_task_id order-77 already exists (key ${KEY})` },
			retryAfterMs: null,
		};
		const error = ownIdKeptByFailedTaskError(KIRIN_NODE, refused, context, redact);
		expect(error.message).toBe(
			'Kirin keeps external task ID order-77 for its failed task task_failed and refused to start another under it (HTTP 409) [item 2]',
		);
		expect(error.description).toMatch(/^Nothing was bought by this item\. /);
		expect(error.description).toContain('Get Status → Look Up By: External Task ID "order-77"');
		expect(error.description).toMatch(
			/ Kirin said: external_task_id order-77 already exists \(key \[redacted\]\)$/,
		);
		expect(error.description).not.toContain(KEY);
	});

	it('names the status of a refusal that is not a 409 (an error naming the ID)', () => {
		const refused: Failure = {
			kind: 'http-error',
			status: 400,
			body: { code: 1201, message: 'external_task_id order-77 is in use' },
			retryAfterMs: null,
		};
		const error = ownIdKeptByFailedTaskError(KIRIN_NODE, refused, context, redact);
		expect(error.message).toContain('refused to start another under it (HTTP 400) [item 2]');
		expect(error.description).toMatch(/ Kirin said: external_task_id order-77 is in use$/);
	});
});
