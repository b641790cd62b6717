/**
 * Overlapping executions (issue 18): a webhook delivered twice, a schedule overlapping its last
 * run, two queue-mode workers. Two executions of one workflow derive the same external task IDs;
 * within one n8n process the second waits for the first's creates and reuses their tasks, and
 * an API that refuses a taken ID (409) has the task looked up and reused, never sent again.
 * Against both readings of the protocol, and both API behaviours on a taken external task ID.
 */
import { randomUUID } from 'node:crypto';

import type { INodeParameters, IRun } from 'n8n-workflow';

import { forgetAllApis } from '../../nodes/shared/api/knownTasks';
import type { KirinSimulator } from '../simulator';
import { errorOf, kirinWorkflow, outputOf, startWorkflow, type WorkflowJson } from '../support/engine';
import type { SeedItem } from '../support/testNodes';
import { createParameters, imageItem, useSimulator, waitAndDownload } from './context';

type Profile = 'seed' | 'strict';
type Duplicates = 'accept' | 'refuse';

/** Resolves when the simulator receives the first request on `route`. */
function firstRequest(sim: KirinSimulator, route: string): Promise<void> {
	return new Promise((resolve) => {
		const listener = (entry: { route: string }) => {
			if (entry.route !== route) return;
			sim.off('request', listener);
			resolve();
		};
		sim.on('request', listener);
	});
}

function sameWorkflow(seeds: SeedItem[], parameters: INodeParameters): WorkflowJson {
	return { ...kirinWorkflow(seeds, parameters), id: randomUUID() };
}

/** One item under the user's own External Task ID, waited for and downloaded. */
function ownIdWorkflow(externalTaskId: string, prompt: string): WorkflowJson {
	return sameWorkflow(
		[imageItem({ prompt })],
		createParameters({ prompt: '={{ $json.prompt }}', ...waitAndDownload }, { externalTaskId }),
	);
}

/** A simulator that refuses a taken external task ID (409), and a process that knows no task yet. */
function useRefusingSimulator(profile: Profile) {
	const ctx = useSimulator({ profile, queuedMs: 20, generationMs: 150, videoBytes: 32 * 1024 });
	beforeEach(() => {
		forgetAllApis();
		ctx.sim.setDuplicateExternalIds('refuse');
	});
	return ctx;
}

function taskIds(run: IRun): string[] {
	return outputOf(run, 'Kirin').map((item) => String(item.json.id));
}

describe.each<[Profile, Duplicates]>([
	['seed', 'accept'],
	['seed', 'refuse'],
	['strict', 'accept'],
	['strict', 'refuse'],
])('two executions at once, %s profile, an API that %ss a taken external task ID', (profile, duplicates) => {
	const ctx = useSimulator({ profile, queuedMs: 20, generationMs: 150, videoBytes: 32 * 1024 });
	beforeEach(() => {
		forgetAllApis();
		ctx.sim.setDuplicateExternalIds(duplicates);
	});

	it('over one item: one task, and both executions succeed with it', async () => {
		const workflow = sameWorkflow([imageItem({ sku: 'twice' })], createParameters(waitAndDownload));
		const first = startWorkflow(workflow, ctx.credentials);
		const second = startWorkflow(workflow, ctx.credentials);
		const runs = await Promise.all([first.finished, second.finished]);

		expect(runs.map((run) => errorOf(run)?.message)).toEqual([undefined, undefined]);
		expect(ctx.sim.counters.tasksCreated).toBe(1);
		expect(ctx.sim.counters.requests.create).toBe(1);
		const [task] = ctx.sim.tasks();
		for (const run of runs) {
			const [item] = outputOf(run, 'Kirin');
			expect(item.json).toMatchObject({ id: task.id, status: 'completed' });
			expect(Buffer.from(item.binary!.video.data, 'base64').equals(ctx.sim.expectedVideo(task.id))).toBe(
				true,
			);
		}
	});

	it('20 items with a Max Cost per Video, the second started while the first asks prices: 20 tasks', async () => {
		const seeds = Array.from({ length: 20 }, (_, n) => imageItem({ n }));
		// The strict reading has no price route: the node goes ahead without a price there.
		const parameters = createParameters(
			{ prompt: '=shot {{ $json.n }}' },
			{ maxCostPerVideo: 1, whenPriceUnknown: 'goAhead' },
		);
		const workflow = sameWorkflow(seeds, parameters);
		// The first execution has claimed its 20 IDs (none made yet) and is asking their prices: the
		// widest window, where a second execution used to look, find nothing, and buy them all again.
		const priced = firstRequest(ctx.sim, 'precharge');
		const first = startWorkflow(workflow, ctx.credentials);
		await priced;
		const second = startWorkflow(workflow, ctx.credentials);
		const runs = await Promise.all([first.finished, second.finished]);

		expect(runs.map((run) => errorOf(run)?.message)).toEqual([undefined, undefined]);
		expect(ctx.sim.counters.tasksCreated).toBe(20);
		expect(ctx.sim.counters.refusedAsTaken).toBe(0);
		expect(Object.values(ctx.sim.counters.tasksPerExternalId).every((count) => count === 1)).toBe(true);
		// Each item of the second execution got the first's task for the same item.
		expect(taskIds(runs[1])).toEqual(taskIds(runs[0]));
		for (const [n, id] of taskIds(runs[0]).entries()) expect(ctx.sim.getParams(id)?.prompt).toBe(`shot ${n}`);
	});
});

describe.each<Profile>(['seed', 'strict'])(
	'another n8n process created the same external task ID a moment before, %s profile, an API that refuses it (409)',
	(profile) => {
		const ctx = useRefusingSimulator(profile);

		it('never sends the create again; reuses the task where Kirin shows it, else names the ID', async () => {
			// Between this execution's lookup (nothing yet) and its create, another worker's create
			// under the same ID arrives first: this one is refused as taken.
			ctx.sim.injectFault('create', { kind: 'taken-before' });
			const run = await startWorkflow(
				sameWorkflow([imageItem({ sku: 'raced' })], createParameters(waitAndDownload)),
				ctx.credentials,
			).finished;

			expect(ctx.sim.counters.tasksCreated).toBe(1);
			expect(ctx.sim.counters.requests.create).toBe(1);
			expect(ctx.sim.counters.refusedAsTaken).toBe(1);
			const [task] = ctx.sim.tasks();
			if (profile === 'seed') {
				// Kirin finds it by its external task ID: the item gets the other worker's task and video.
				expect(errorOf(run)).toBeUndefined();
				const [item] = outputOf(run, 'Kirin');
				expect(item.json).toMatchObject({ id: task.id, status: 'completed' });
			} else {
				// Kling's reading cannot find a task by its external task ID: the item fails naming it,
				// and the money is safe.
				expect(errorOf(run)?.message).toContain(
					`Kirin already has a task under external task ID ${task.external_task_id} (HTTP 409)`,
				);
			}
		});
	},
);

describe("an API that keeps a failed task's external task ID (409), seed profile", () => {
	const ctx = useRefusingSimulator('seed');

	it("never hands on the failed task as this run's video: the item asks for a new External Task ID", async () => {
		const own = (prompt: string) => ownIdWorkflow('order-77', prompt);
		const first = await startWorkflow(own('first try #fail'), ctx.credentials).finished;
		expect(errorOf(first)?.message).toMatch(/code 8002009098/);
		const [failedTask] = ctx.sim.tasks();

		// The user runs it again under the same own ID; Kirin refuses the ID, kept by the failed task.
		const again = await startWorkflow(own('second try'), ctx.credentials).finished;
		expect(errorOf(again)?.message).toBe(
			`Kirin keeps external task ID order-77 for its failed task ${failedTask.id} and refused to start another under it (HTTP 409) [item 0]`,
		);
		expect(ctx.sim.counters.refusedAsTaken).toBe(1);
		expect(ctx.sim.counters.tasksCreated).toBe(1);
	});
});

describe.each<Profile>(['seed', 'strict'])(
	"another worker's new task under an own External Task ID after this process's failed one (409), %s profile",
	(profile) => {
		const ctx = useRefusingSimulator(profile);

		it('hands on the new task once Kirin shows it, else names the ID: never blames the failed task', async () => {
			const own = (prompt: string) => ownIdWorkflow('order-78', prompt);
			// This process made the first task under the ID, and remembers it: it failed.
			const first = await startWorkflow(own('first try #fail'), ctx.credentials).finished;
			expect(errorOf(first)).toBeDefined();
			const [failedTask] = ctx.sim.tasks();

			// Another worker's create under the same own ID lands just before this one's, which is
			// refused as taken. Kirin's lookup by external task ID lags a moment: its first answer
			// after the refusal (the one after the remembered task's own) does not show the new task.
			ctx.sim.injectFault('create', { kind: 'taken-before' });
			void firstRequest(ctx.sim, 'create').then(() => {
				ctx.sim.injectFault('get', { kind: 'delay', ms: 0 });
				ctx.sim.injectFault('get', { kind: 'status', status: 404 });
			});
			const again = await startWorkflow(own('second try'), ctx.credentials).finished;

			expect(ctx.sim.counters.tasksCreated).toBe(2);
			expect(ctx.sim.counters.requests.create).toBe(2);
			expect(ctx.sim.counters.refusedAsTaken).toBe(1);
			const newTask = ctx.sim.tasks().find((task) => task.id !== failedTask.id)!;
			if (profile === 'seed') {
				// Kirin shows the other worker's task once its lookup catches up: the item gets it.
				expect(errorOf(again)).toBeUndefined();
				const [item] = outputOf(again, 'Kirin');
				expect(item.json).toMatchObject({ id: newTask.id, status: 'completed', reused: true });
			} else {
				// Kling's reading never finds a task by its external task ID: the item names the ID.
				expect(errorOf(again)?.message).toBe(
					'Kirin already has a task under external task ID order-78 (HTTP 409) but does not show it, so the node did not send this video again [item 0]',
				);
			}
		});
	},
);
