import { randomBytes, randomUUID } from 'node:crypto';

import type { INodeParameters } from 'n8n-workflow';

import { errorOf, kirinWorkflow, outputOf, runWorkflow } from '../support/engine';
import { TriggerHost } from '../support/triggerHost';
import { API_KEY, createParameters, imageItem, useSimulator } from './context';

/**
 * Tasks made before this run, and their links: a reused task says so (`reused`), its video link
 * may have expired (Kirin is asked for a fresh one; a link that still fails is blamed on the link,
 * never on the key or the task), and this run's Callback URL still receives it.
 */
const waited = { waitForCompletion: true, timeLimitMinutes: 1, download: false };
const downloaded = { ...waited, download: true, binaryPropertyOutput: 'video' };

type Create = (overrides?: INodeParameters, options?: INodeParameters) => ReturnType<typeof kirinWorkflow>;

/**
 * One intended video, asked for by each call (a workflow of its own, so no other test's task is
 * reused): the same workflow, node and inputs, with the fields given.
 */
function oneVideo(): Create {
	const id = randomUUID();
	return (overrides = {}, options = {}) => ({
		...kirinWorkflow([imageItem()], createParameters(overrides, options)),
		id,
	});
}

describe.each(['seed', 'strict'] as const)('against the %s profile', (profile) => {
	const ctx = useSimulator({ profile });

	/** Videos on another origin than the API (localhost), redirected to storage there (a CDN's signed link). */
	function videosOnAnotherOrigin(): void {
		ctx.sim.setVideoHost('localhost');
		ctx.sim.setRedirectVideosTo('localhost');
	}

	afterEach(() => {
		ctx.sim.setVideoHost(undefined);
		ctx.sim.setRedirectVideosTo(undefined);
	});

	/** Expires every link handed out so far when the first download arrives (after the run's look-ups). */
	function expireLinksOnFirstDownload(status: 403 | 404, fresh: boolean): void {
		const onRequest = (entry: { route: string }) => {
			if (entry.route !== 'download') return;
			ctx.sim.off('request', onRequest);
			ctx.sim.expireVideoLinks({ status, fresh });
		};
		ctx.sim.on('request', onRequest);
	}

	/** The requests that reached another origin than the API's, and whether any carried the key. */
	function offOrigin() {
		const off = ctx.sim.requestLog.filter((entry) => entry.host.startsWith('localhost:'));
		return { count: off.length, withKey: off.some((entry) => entry.withAuthorization) };
	}

	describe('reused tasks', () => {
		it('says reused: false for a new task and reused: true for the same video asked for again, with and without waiting', async () => {
			const createOf = oneVideo();
			const first = outputOf(await runWorkflow(createOf(), ctx.credentials), 'Kirin')[0].json;
			expect(first.reused).toBe(false);

			const again = outputOf(await runWorkflow(createOf(), ctx.credentials), 'Kirin')[0].json;
			expect(again).toMatchObject({ id: first.id, reused: true });

			const waitedRun = await runWorkflow(createOf(waited), ctx.credentials);
			expect(errorOf(waitedRun)).toBeUndefined();
			expect(outputOf(waitedRun, 'Kirin')[0].json).toMatchObject({
				id: first.id,
				status: 'completed',
				reused: true,
			});
			// No Callback URL: nothing was posted anywhere.
			expect(outputOf(waitedRun, 'Kirin')[0].json.callbackResent).toBeUndefined();
			expect(ctx.sim.counters.tasksCreated).toBe(1);
		});

		it('a reused task whose video link expired gets a fresh link from Kirin, and its video', async () => {
			videosOnAnotherOrigin();
			const createOf = oneVideo();
			const first = await runWorkflow(createOf(waited), ctx.credentials);
			const id = String(outputOf(first, 'Kirin')[0].json.id);

			expireLinksOnFirstDownload(403, true);
			const run = await runWorkflow(createOf(downloaded), ctx.credentials);
			expect(errorOf(run)).toBeUndefined();
			const [item] = outputOf(run, 'Kirin');
			expect(item.json).toMatchObject({ id, reused: true, status: 'completed' });
			// The item carries the link that worked, and the video behind it, byte for byte.
			expect(String(item.json.videoUrl)).toMatch(/\?sig=\d+$/);
			expect(Buffer.from(item.binary!.video.data, 'base64').equals(ctx.sim.expectedVideo(id))).toBe(true);
			// The dead link and its redirect, then the fresh link and its redirect.
			expect(ctx.sim.counters.requests.download).toBe(4);
			expect(ctx.sim.counters.tasksCreated).toBe(1);
			expect(offOrigin()).toEqual({ count: 4, withKey: false });
			expect(JSON.stringify(run)).not.toContain(API_KEY);
		});
	});

	describe('a video link that fails after a redirect to another origin', () => {
		it.each([403, 404] as const)(
			'HTTP %i from storage says the video link failed and names the task, never the key, and the key never goes there',
			async (status) => {
				videosOnAnotherOrigin();
				const createOf = oneVideo();
				const id = String(outputOf(await runWorkflow(createOf(waited), ctx.credentials), 'Kirin')[0].json.id);
				ctx.sim.resetCounters();

				// Kirin hands the same dead link when asked again.
				ctx.sim.expireVideoLinks({ status, fresh: false });
				const run = await runWorkflow(createOf(downloaded), ctx.credentials);
				const error = errorOf(run);
				expect(error?.message).toMatch(
					new RegExp(
						`^The video link of Kirin task ${id} failed: it has expired or was refused \\(http://localhost:\\d+ answered HTTP ${status}\\) \\[item 0\\]`,
					),
				);
				expect(error?.description).toMatch(
					/^The node asked Kirin for the task again and got no other link\./,
				);
				expect(`${error?.message} ${error?.description}`).not.toMatch(/API key|no task with ID/);
				// The task is named in the stop error's list too, as completed: it was paid for.
				expect(error?.message).toContain(`Tasks: item 0 ${id} completed.`);
				// Asked again once (claim, then the fresh look-up), the dead link tried once (and its redirect).
				expect(ctx.sim.counters.requests.download).toBe(2);
				expect(ctx.sim.counters.tasksCreated).toBe(0);
				expect(offOrigin()).toEqual({ count: 2, withKey: false });
				expect(JSON.stringify(run)).not.toContain(API_KEY);
			},
		);
	});

	describe("a reused task and this run's Callback URL", () => {
		let host: TriggerHost | undefined;
		afterEach(async () => await host?.stop());

		it('posts the reused task to a new Callback URL, where a Kirin Trigger verifies it and starts once', async () => {
			const secret = `cb-secret-${randomBytes(6).toString('hex')}`;
			const credentials = { kirinApi: { ...ctx.credentials.kirinApi, callbackSecret: secret } };
			const createOf = oneVideo();
			// The first run points callbacks at a URL nothing listens on (a Test URL no longer listening).
			const first = await runWorkflow(
				createOf(waited, { callbackUrl: 'http://127.0.0.1:9/webhook-test/kirin' }),
				credentials,
			);
			const id = String(outputOf(first, 'Kirin')[0].json.id);
			expect(outputOf(first, 'Kirin')[0].json.callbackResent).toBeUndefined();

			host = new TriggerHost(
				{ events: ['completed', 'failed'], verify: true, requireToken: true },
				credentials,
			);
			const url = await host.start();
			const runAgain = async () => {
				const run = await runWorkflow(createOf(waited, { callbackUrl: url }), credentials);
				expect(errorOf(run)).toBeUndefined();
				return outputOf(run, 'Kirin')[0].json;
			};
			expect(await runAgain()).toMatchObject({ id, reused: true, callbackResent: true });
			await host.handled(1);
			expect(host.answers[0]).toMatchObject({
				status: 200,
				response: { ok: true, started: true, taskId: id, status: 'completed' },
			});
			expect(host.runs).toHaveLength(1);
			expect(host.runs[0][0].json).toMatchObject({ id, status: 'completed' });

			// Asked again, the trigger hears it again and starts nothing new.
			expect(await runAgain()).toMatchObject({ id, reused: true, callbackResent: true });
			await host.handled(2);
			expect(host.answers[1].response).toMatchObject({
				ok: true,
				started: false,
				reason: 'already delivered',
			});
			expect(host.runs).toHaveLength(1);
			// Only the task went there: never the key.
			expect(JSON.stringify(host.answers)).not.toContain(API_KEY);
			expect(ctx.sim.counters.tasksCreated).toBe(1);
		});
	});
});
