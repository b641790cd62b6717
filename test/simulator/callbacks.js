// @ts-check
// Callbacks: when a task has a `callback_url`, the API POSTs the task there on every status
// change. Deliveries are recorded (with the answer's HTTP status, or the network error) so
// tests can wait for them.

/** @typedef {{ taskId: string, status: string, url: string, httpStatus?: number, error?: string }} Delivery */

/**
 * Posts `task` to `url`, then calls `delivered` with the outcome.
 * @param {string} url @param {{ id: string, status: string }} task @param {(delivery: Delivery) => void} delivered
 */
function postCallback(url, task, delivered) {
	/** @type {Delivery} */
	const delivery = { taskId: task.id, status: task.status, url };
	fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(task),
		signal: AbortSignal.timeout(10_000),
	})
		.then(async (response) => {
			delivery.httpStatus = response.status;
			await response.arrayBuffer();
		})
		.catch((error) => {
			delivery.error = String(error?.cause?.code ?? error);
		})
		.finally(() => delivered(delivery));
}

module.exports = { postCallback };
