// @ts-check
// Callbacks: when a task has a `callback_url`, the API POSTs the task there on every status
// change (in the profile's shape). Deliveries are recorded (with the answer's HTTP status, or
// the network error) so tests can wait for them.

/** @typedef {{ taskId: string, status: string, url: string, httpStatus?: number, error?: string }} Delivery */

/**
 * Posts `body` (the task `about` names) to `url`, then calls `delivered` with the outcome.
 * @param {string} url @param {unknown} body @param {{ id: string, status: string }} about
 * @param {(delivery: Delivery) => void} delivered
 */
function postCallback(url, body, about, delivered) {
	/** @type {Delivery} */
	const delivery = { taskId: about.id, status: about.status, url };
	fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
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
