/**
 * The fault matrix: every fault the simulator can inject, in every phase where the package
 * talks to the API, run through n8n's engine over real HTTP, against both readings of the
 * protocol (seed and strict). Each row records what the user sees, how many requests were made,
 * how many tasks exist for the item, and whether the API key appeared anywhere (outputs,
 * errors, logs, trigger answers).
 *
 * One test file per profile (faultMatrixSeed.test.ts, faultMatrixStrict.test.ts), so jest's two
 * workers share the matrix. `npm run reliability` runs them and writes the rows to
 * docs/RELIABILITY.md.
 */
// First: the node's backoff and the webhooks' time-out, shortened for rows not about time.
import './shortenedTime';

import type { IRun } from 'n8n-workflow';

import { forgetAllApis } from '../../nodes/shared/api/knownTasks';
import { errorOf, kirinWorkflow, outputOf, runWorkflow } from '../support/engine';
import { LogCapture } from '../support/logCapture';
import { writeReliability } from '../support/testFlags';
import { restamped } from '../simulator/faults';
import { TriggerHost } from '../support/triggerHost';
import { API_KEY, createParameters, imageItem, useSimulator, waitAndDownload } from './context';
import { table, writeReliabilitySection } from './reliabilityReport';

type Phase = 'create' | 'status' | 'download' | 'verification';
type Profile = 'seed' | 'strict';

const logs = new LogCapture();
beforeAll(() => logs.install());

// A short request time-out keeps the "no answer" rows quick; the trigger's own (10 s) is
// shortened to 1 s by shortenedTime.ts, except when `npm run reliability` writes the report.
const QUICK = { pollFirstSeconds: 0.1, pollMaxSeconds: 0.2, requestTimeoutSeconds: 1 };
// A wait outlasts an outage until its time limit: the status rows keep that limit short (6 s in
// the report, 3 s in `npm test`: either outlasts many checks, 0.1 to 0.2 s apart).
const STATUS_TIME_LIMIT_MINUTES = writeReliability ? 0.1 : 0.05;
// The simulator's pace. The report's request counts were measured with tasks queued 20 ms and
// generating 150 ms (400 ms for the task a status row waits for); `npm test` runs the same rows
// with quicker tasks: no row is about how long a generation takes.
const PACE = writeReliability
	? { queuedMs: 20, generationMs: 150, statusTaskMs: 400 }
	: { queuedMs: 10, generationMs: 60, statusTaskMs: 250 };

interface Row {
	profile: Profile;
	phase: Phase;
	fault: string;
	times: 'once' | 'every request';
	/** What the node knew about the API before the row: "first contact" or "known". */
	contact: string;
	seen: string;
	succeeded: boolean;
	requests: string;
	tasks: number;
	keyLeaked: boolean;
}

const rows: Row[] = [];

function report(profile: Profile): void {
	const mine = rows.filter((row) => row.profile === profile);
	writeReliabilitySection(
		`fault-matrix-${profile}`,
		profile === 'seed' ? 1 : 2,
		[
			`## The fault matrix, ${profile} profile`,
			'',
			"Each row injects one fault on the phase's route: *create* (`POST /model/v1/generation`, Create",
			'with Wait and download), *status* (`GET …/task/{id}`, the Wait operation, time limit 6 s),',
			'*download* (the video, Get Status with download) and *verification* (the trigger fetching the',
			'task a callback names). Request time-out 1 s (the trigger: 10 s). *Known*: the node has made a',
			'task on this API before in this process, as any running n8n has; *first contact*: it has not,',
			'so it cannot yet tell whether a 404 for an external task ID proves the task does not exist.',
			'',
			table(
				[
					'phase',
					'fault',
					'how often',
					'API known',
					'what the user sees',
					'requests',
					'tasks for the item',
					'key seen',
				],
				mine.map((row) => [
					row.phase,
					row.fault,
					row.times,
					row.contact,
					row.seen,
					row.requests || '0',
					String(row.tasks),
					row.keyLeaked ? '**yes**' : 'never',
				]),
			),
		].join('\n'),
	);
}

/** The whole matrix against one reading of the protocol. */
export function describeFaultMatrix(profile: Profile): void {
	describe(`the fault matrix, ${profile} profile`, () => matrix(profile));
}

function matrix(profile: Profile): void {
	const ctx = useSimulator({
		profile,
		queuedMs: PACE.queuedMs,
		generationMs: PACE.generationMs,
		videoBytes: 64 * 1024,
	});
	type Fault = Parameters<typeof ctx.sim.injectFault>[1];
	afterAll(() => report(profile));

	const FAULTS: Array<{ name: string; fault: Fault }> = [
		{ name: 'HTTP 500', fault: { kind: 'status', status: 500 } },
		{ name: 'HTTP 502', fault: { kind: 'status', status: 502 } },
		{ name: 'HTTP 503', fault: { kind: 'status', status: 503 } },
		{ name: '429 with Retry-After: 1', fault: { kind: 'rate-limit', retryAfterSeconds: 1 } },
		{ name: 'API code 8002009099', fault: { kind: 'api-error', code: 8002009099, status: 200 } },
		{ name: 'reset before the task is recorded', fault: { kind: 'reset-before' } },
		{ name: 'reset after the task is recorded', fault: { kind: 'reset-after' } },
		{ name: 'HTTP 504, the task recorded only after the next look-up', fault: { kind: 'late-record' } },
		{ name: 'no answer within the request time-out', fault: { kind: 'hang' } },
		{ name: 'malformed JSON', fault: { kind: 'malformed-json' } },
		{ name: 'HTML error page (502)', fault: { kind: 'html', status: 502 } },
		{ name: '50 MB error body (500)', fault: { kind: 'big-error', bytes: 50 * 1024 * 1024, status: 500 } },
	];

	const ROUTE: Record<Phase, 'create' | 'get' | 'download'> = {
		create: 'create',
		status: 'get',
		download: 'download',
		verification: 'get',
	};

	function requestsSummary(): string {
		const { create, get, download } = ctx.sim.counters.requests;
		return [create && `create ${create}`, get && `status ${get}`, download && `download ${download}`]
			.filter(Boolean)
			.join(', ');
	}

	/** False when the item's video differs from what the API served (an error body stored as MP4). */
	function videoIntact(run: IRun): boolean | undefined {
		if (errorOf(run)) return undefined;
		const [item] = outputOf(run, 'Kirin');
		const video = item.binary?.video;
		if (!video) return undefined;
		return Buffer.from(video.data, 'base64').equals(ctx.sim.expectedVideo(String(item.json.id)));
	}

	function seenByUser(run: IRun): string {
		const error = errorOf(run);
		if (error) return `error: ${error.message}`;
		const [item] = outputOf(run, 'Kirin');
		const video = item.binary?.video;
		return `${String(item.json.status)}${video ? `, video ${video.fileSize ?? ''}`.trimEnd() : ''}`;
	}

	async function createRun(
		parameters = createParameters({ waitForCompletion: true, timeLimitMinutes: 1 }, QUICK),
	) {
		return await runWorkflow(kirinWorkflow([imageItem()], parameters), ctx.credentials);
	}

	/** A completed task made without faults, for the phases that start from an existing task. */
	async function completedTask(): Promise<string> {
		return String(outputOf(await createRun(), 'Kirin')[0].json.id);
	}

	async function queuedTask(): Promise<string> {
		ctx.sim.setGenerationMs(PACE.statusTaskMs);
		return String(outputOf(await createRun(createParameters({}, QUICK)), 'Kirin')[0].json.id);
	}

	type PhaseResult = Pick<Row, 'seen' | 'succeeded' | 'requests' | 'tasks'> & { said: string };

	async function runPhase(phase: Phase, fault: Fault, times: number, known: boolean): Promise<PhaseResult> {
		forgetAllApis();
		// The task that makes the API known is also the one the download and verification rows use.
		const madeBefore = known ? await completedTask() : undefined;
		ctx.sim.resetCounters();
		logs.lines.length = 0;
		if (phase === 'create') {
			ctx.sim.injectFault('create', fault, times);
			const run = await createRun(createParameters(waitAndDownload, QUICK));
			const perItem = Object.values(ctx.sim.counters.tasksPerExternalId);
			return {
				seen: seenByUser(run),
				succeeded: !errorOf(run) && videoIntact(run) !== false,
				requests: requestsSummary(),
				tasks: perItem.length === 0 ? 0 : Math.max(...perItem),
				said: [JSON.stringify(run.data.resultData), logs.text()].join('\n'),
			};
		}

		if (phase === 'verification') {
			const id = madeBefore ?? (await completedTask());
			const host = new TriggerHost(
				{ events: ['completed', 'failed'], verify: true, requireToken: false },
				ctx.credentials,
			);
			const url = await host.start();
			try {
				ctx.sim.resetCounters();
				ctx.sim.injectFault('get', fault, times);
				// Times in another unit are the callback's too, not only the verification's answer.
				const callback =
					fault.kind === 'timestamps'
						? restamped(ctx.sim.callbackBody(id), fault.unit, {
								createdMs: Date.now(),
								updatedMs: Date.now(),
							})
						: ctx.sim.callbackBody(id);
				const response = await fetch(url, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify(callback),
				});
				const answer = await response.text();
				return {
					seen: `callback answered ${response.status}, ${host.runs.length === 1 ? 'run started' : 'no run'}`,
					succeeded: response.status === 200 && host.runs.length === 1,
					requests: requestsSummary(),
					tasks: 1 + ctx.sim.counters.tasksCreated, // the one made before, and any made since
					said: [answer, JSON.stringify(host.runs), logs.text()].join('\n'),
				};
			} finally {
				await host.stop();
			}
		}

		const id = phase === 'status' ? await queuedTask() : (madeBefore ?? (await completedTask()));
		ctx.sim.resetCounters();
		ctx.sim.injectFault(ROUTE[phase], fault, times);
		const parameters =
			phase === 'status'
				? {
						operation: 'wait',
						taskId: id,
						timeLimitMinutes: STATUS_TIME_LIMIT_MINUTES,
						download: false,
						options: QUICK,
					}
				: {
						operation: 'getStatus',
						lookUpBy: 'id',
						taskId: id,
						download: true,
						binaryPropertyOutput: 'video',
						options: QUICK,
					};
		const run = await runWorkflow(kirinWorkflow([{ json: {} }], parameters), ctx.credentials);
		return {
			seen: seenByUser(run),
			succeeded: !errorOf(run) && videoIntact(run) !== false,
			requests: requestsSummary(),
			tasks: 1 + ctx.sim.counters.tasksCreated, // the one made before, and any made since
			said: [JSON.stringify(run.data.resultData), logs.text()].join('\n'),
		};
	}

	function record(phase: Phase, name: string, times: Row['times'], known: boolean, result: PhaseResult) {
		const { said, ...shown } = result;
		rows.push({
			profile,
			phase,
			fault: name,
			times,
			contact: known ? 'known' : 'first contact',
			...shown,
			keyLeaked: said.includes(API_KEY),
		});
	}

	/**
	 * A create whose answer was lost may have started a paid video. The node creates again only
	 * when a lookup proves it did not; otherwise it fails the item, naming its external task ID.
	 */
	function failedClosed(result: PhaseResult): boolean {
		return /Kirin cannot say whether it was started, so the node did not send it again \[item 0\]/.test(
			result.seen,
		);
	}

	/** Where a create's outcome cannot be known, failing closed is the expected, clear outcome. */
	function mayFailClosed(phase: Phase, name: string, known: boolean): boolean {
		if (phase !== 'create') return false;
		if (name === 'malformed JSON') return true; // a 2xx that cannot be read: never sent again
		const ambiguous = /HTTP 50|reset|no answer|HTML|50 MB/.test(name);
		return ambiguous && (!known || profile === 'strict');
	}

	const PHASES: Phase[] = ['create', 'status', 'download', 'verification'];
	const transient = PHASES.flatMap((phase) => FAULTS.map(({ name, fault }) => [phase, name, fault] as const));

	describe('one transient fault (the next request fails, then the API recovers), API known', () => {
		it.each(transient)('%s · %s', async (phase, name, fault) => {
			const result = await runPhase(phase, fault, 1, true);
			record(phase, name, 'once', true, result);

			expect(result.tasks).toBeLessThanOrEqual(1);
			expect(result.said).not.toContain(API_KEY);
			if (mayFailClosed(phase, name, true) && !result.succeeded) expect(failedClosed(result)).toBe(true);
			else expect(result).toMatchObject({ succeeded: true });
		});
	});

	// The node's first create on an API: it cannot yet tell whether a 404 for an external task ID
	// means "no such task", so a lost answer fails the item rather than risk a second video.
	const firstContact = FAULTS.filter(({ name }) =>
		[
			'HTTP 503',
			'reset before the task is recorded',
			'reset after the task is recorded',
			'malformed JSON',
			'malformed JSON after the task is recorded',
		].includes(name),
	);

	describe('one fault on the first create this process makes on the API', () => {
		it.each(firstContact)('create · $name', async ({ name, fault }) => {
			const result = await runPhase('create', fault, 1, false);
			record('create', name, 'once', false, result);

			expect(result.tasks).toBeLessThanOrEqual(1);
			expect(result.said).not.toContain(API_KEY);
			if (result.succeeded) expect(name).toMatch(/reset after/);
			else expect(failedClosed(result)).toBe(true);
		});
	});

	// Not a failure: the API writes a task's times in another unit (or as text). Every answer on
	// the phase's route does; the task is read, and nothing crashes or is bought twice.
	const UNITS: Array<{ name: string; unit: Extract<Fault, { kind: 'timestamps' }>['unit'] }> = [
		{ name: 'task times in seconds', unit: 's' },
		{ name: 'task times in milliseconds', unit: 'ms' },
		{ name: 'task times in microseconds', unit: 'us' },
		{ name: 'task times in nanoseconds', unit: 'ns' },
		{ name: 'task times as a numeric string (ms)', unit: 'numeric string' },
		{ name: 'task times as ISO text', unit: 'iso' },
	];
	const stamped = (['create', 'status', 'verification'] as const).flatMap((phase) =>
		UNITS.map(({ name, unit }) => [phase, name, { kind: 'timestamps', unit } as Fault] as const),
	);

	describe('task times in every unit (every answer on the route), API known', () => {
		it.each(stamped)('%s · %s', async (phase, name, fault) => {
			const result = await runPhase(phase, fault, 1000, true);
			record(phase, name, 'every request', true, result);

			expect(result.tasks).toBeLessThanOrEqual(1);
			expect(result.said).not.toContain(API_KEY);
			expect(result).toMatchObject({ succeeded: true });
		});
	});

	// A 2xx create whose body can be read only in part still names its task: the node asks for
	// it by its ID (every API answers that), and never sends the create again.
	describe('a 2xx create answer of which only the task ID can be read (the task recorded)', () => {
		it.each([
			['known', true],
			['first contact', false],
		] as const)('create · 2xx naming only its task ID · API %s', async (_contact, known) => {
			const name = '2xx naming only its task ID (the task recorded)';
			const result = await runPhase('create', { kind: 'id-only-after' }, 1, known);
			record('create', name, 'once', known, result);

			expect(result.tasks).toBe(1);
			expect(result.requests).toMatch(/^create 1,/);
			expect(result.said).not.toContain(API_KEY);
			expect(result).toMatchObject({ succeeded: true });
		});
	});

	// A fault that does not go away ends in a clear error (or a retryable answer to the
	// callback), after a bounded number of requests, and still never a second task.
	const lasting = PHASES.flatMap((phase) =>
		FAULTS.filter(({ name }) => ['HTTP 503', 'no answer within the request time-out'].includes(name)).map(
			({ name, fault }) => [phase, name, fault] as const,
		),
	);

	// A video URL on another origin than the API's, redirected to storage there, that stops working
	// between the look-up and the download (an expired signed link): Kirin is asked for the task
	// again once. Whether that gives a new link is the API's business: both are rows.
	const DEAD_LINKS = [
		{ name: 'video link on another origin, storage answers 403', status: 403, fresh: false },
		{ name: 'video link on another origin, storage answers 404', status: 404, fresh: false },
		{
			name: 'video link on another origin, storage answers 403, fresh link on the next look-up',
			status: 403,
			fresh: true,
		},
		{
			name: 'video link on another origin, storage answers 404, fresh link on the next look-up',
			status: 404,
			fresh: true,
		},
	] as const;

	describe('a video link that dies before its download, API known', () => {
		it.each(DEAD_LINKS)('download · $name', async ({ name, status, fresh }) => {
			ctx.sim.setVideoHost('localhost');
			ctx.sim.setRedirectVideosTo('localhost');
			try {
				forgetAllApis();
				const id = await completedTask();
				ctx.sim.resetCounters();
				logs.lines.length = 0;
				const expire = (entry: { route: string }) => {
					if (entry.route !== 'download') return;
					ctx.sim.off('request', expire);
					ctx.sim.expireVideoLinks({ status, fresh });
				};
				ctx.sim.on('request', expire);
				const run = await runWorkflow(
					kirinWorkflow([{ json: {} }], {
						operation: 'getStatus',
						lookUpBy: 'id',
						taskId: id,
						download: true,
						binaryPropertyOutput: 'video',
						options: QUICK,
					}),
					ctx.credentials,
				);
				const offOrigin = ctx.sim.requestLog.filter((entry) => entry.host.startsWith('localhost:'));
				const result: PhaseResult = {
					seen: seenByUser(run),
					succeeded: !errorOf(run) && videoIntact(run) !== false,
					requests: requestsSummary(),
					tasks: 1 + ctx.sim.counters.tasksCreated,
					said: [JSON.stringify(run.data.resultData), logs.text()].join('\n'),
				};
				record('download', name, fresh ? 'once' : 'every request', true, result);
				rows[rows.length - 1].keyLeaked ||= offOrigin.some((entry) => entry.withAuthorization);

				expect(result.tasks).toBe(1);
				expect(result.said).not.toContain(API_KEY);
				expect(offOrigin.length).toBeGreaterThan(0);
				expect(offOrigin.some((entry) => entry.withAuthorization)).toBe(false);
				if (fresh) {
					expect(result).toMatchObject({ succeeded: true });
				} else {
					expect(result.seen).toMatch(
						new RegExp(
							`^error: The video link of Kirin task ${id} failed: it has expired or was refused \\(http://localhost:\\d+ answered HTTP ${status}\\) \\[item 0\\]`,
						),
					);
					expect(result.seen).not.toMatch(/API key|no task with ID/);
				}
			} finally {
				ctx.sim.setVideoHost(undefined);
				ctx.sim.setRedirectVideosTo(undefined);
			}
		});
	});

	describe('a lasting fault (every request fails), API known', () => {
		it.each(lasting)(
			'%s · %s',
			async (phase, name, fault) => {
				const result = await runPhase(phase, fault, 1000, true);
				record(phase, name, 'every request', true, result);

				expect(result.tasks).toBeLessThanOrEqual(1);
				expect(result.said).not.toContain(API_KEY);
				expect(result.succeeded).toBe(false);
				if (phase === 'verification') expect(result.seen).toBe('callback answered 503, no run');
				else expect(result.seen).toMatch(/^error: .+\[item 0(, code \d+)?\]/);
				// A wait outlasts an outage until its time limit, then says so.
				if (phase === 'status') expect(result.seen).toContain("Kirin's status checks kept failing");
				// The node's own log lines were captured: "key seen" scanned them.
				if (phase === 'create') expect(result.said).toContain('Kirin task lookup failed');
			},
			120_000,
		);
	});
}
