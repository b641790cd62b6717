import { parseErrorShape, parseQuote, parseTask } from '../../../../nodes/shared/api/parse';

const completed = {
	id: 'task_1',
	status: 'succeed',
	model: 'kirin_v2_1_master_i2v',
	created_at: 1_764_000_000,
	completed_at: 1_764_000_090,
	progress: 100,
	output: [{ content: [{ type: 'video', url: 'https://cdn.example/v.mp4', duration: '5', jobId: 'job_1' }] }],
	usage: { cost: '0.35', discount: 0.1 },
	metadata: { external_task_id: 'order-7' },
};

describe('parseTask', () => {
	it('flattens a completed task', () => {
		expect(parseTask(completed)).toEqual({
			id: 'task_1',
			externalTaskId: 'order-7',
			status: 'completed',
			rawStatus: 'succeed',
			progress: 100,
			videoUrl: 'https://cdn.example/v.mp4',
			videos: [{ type: 'video', url: 'https://cdn.example/v.mp4', duration: 5, jobId: 'job_1' }],
			duration: 5,
			cost: 0.35,
			discount: 0.1,
			createdAt: '2025-11-24T16:00:00.000Z',
			completedAt: '2025-11-24T16:01:30.000Z',
			errorCode: null,
			errorMessage: null,
			model: 'kirin_v2_1_master_i2v',
		});
	});

	it('accepts a gateway envelope {code: 0, data: task}', () => {
		expect(parseTask({ code: 0, data: completed })?.id).toBe('task_1');
	});

	it('keeps every output content and picks the first video as videoUrl', () => {
		const task = parseTask({
			...completed,
			output: [
				{ content: [{ type: 'image', url: 'https://cdn.example/cover.jpg' }] },
				{ content: [{ type: 'video', url: 'https://cdn.example/a.mp4', duration: 10 }] },
			],
		});
		expect(task?.videos.map((video) => video.type)).toEqual(['image', 'video']);
		expect(task?.videoUrl).toBe('https://cdn.example/a.mp4');
		expect(task?.duration).toBe(10);
	});

	it.each([
		[
			{ code: 8002009098, error_message: 'generation process failed' },
			8002009098,
			'generation process failed',
		],
		[{ code: 8002009099, message: 'provider unavailable' }, 8002009099, 'provider unavailable'],
		['something broke', null, 'something broke'],
	])('reads the error shape %p', (error, code, message) => {
		const task = parseTask({ id: 't', status: 'failed', error });
		expect(task?.status).toBe('failed');
		expect(task?.errorCode).toBe(code);
		expect(task?.errorMessage).toBe(message);
	});

	it('gives a failed task without a reason a message anyway', () => {
		expect(parseTask({ id: 't', status: 'error' })?.errorMessage).toBe('The task failed without a reason.');
	});

	it('uses the external task ID the caller knows when the API does not echo it', () => {
		expect(parseTask({ id: 't', status: 'pending' }, 'mine')?.externalTaskId).toBe('mine');
	});

	it.each([[null], ['text'], [{ status: 'done' }], [{ id: 'x' }], [[completed]]])(
		'rejects %p as not a task',
		(body) => {
			expect(parseTask(body)).toBeNull();
		},
	);

	it('reads timestamps given in milliseconds or ISO form', () => {
		expect(parseTask({ id: 't', status: 'done', created_at: 1_764_000_000_000 })?.createdAt).toBe(
			'2025-11-24T16:00:00.000Z',
		);
		expect(parseTask({ id: 't', status: 'done', created_at: '2025-11-24T16:00:00Z' })?.createdAt).toBe(
			'2025-11-24T16:00:00.000Z',
		);
	});
});

// Kling's own answers (the model family behind kirin_*): wrapped create and get answers, bare
// callback bodies, Kling's field names and status words, times in milliseconds.
const klingHead = {
	task_id: '866168216002236456',
	task_status: 'submitted',
	task_info: { external_task_id: 'order-7' },
	created_at: 1_764_000_000_000,
	updated_at: 1_764_000_000_000,
};
const klingSucceeded = {
	...klingHead,
	task_status: 'succeed',
	task_status_msg: '',
	updated_at: 1_764_000_090_500,
	final_unit_deduction: '1',
	task_result: { videos: [{ id: 'vid_1', url: 'https://cdn.example/k.mp4', duration: '5.1' }] },
};
const wrap = (data: unknown) => ({ code: 0, message: 'SUCCEED', request_id: 'req-1', data });

describe("parseTask, Kling's shape", () => {
	it('reads a wrapped create answer (head only) as a queued task', () => {
		expect(parseTask(wrap(klingHead))).toEqual({
			id: '866168216002236456',
			externalTaskId: 'order-7',
			status: 'queued',
			rawStatus: 'submitted',
			progress: null,
			videoUrl: null,
			videos: [],
			duration: null,
			cost: null,
			discount: null,
			createdAt: '2025-11-24T16:00:00.000Z',
			completedAt: null,
			errorCode: null,
			errorMessage: null,
			model: null,
		});
	});

	it('reads a wrapped get answer of a finished task, with no cost from unit deductions', () => {
		expect(parseTask(wrap(klingSucceeded))).toEqual({
			id: '866168216002236456',
			externalTaskId: 'order-7',
			status: 'completed',
			rawStatus: 'succeed',
			progress: null,
			videoUrl: 'https://cdn.example/k.mp4',
			videos: [{ type: 'video', url: 'https://cdn.example/k.mp4', duration: 5.1, jobId: 'vid_1' }],
			duration: 5.1,
			cost: null,
			discount: null,
			createdAt: '2025-11-24T16:00:00.000Z',
			completedAt: '2025-11-24T16:01:30.500Z',
			errorCode: null,
			errorMessage: null,
			model: null,
		});
	});

	it('reads a bare callback body the same as the wrapped get answer', () => {
		expect(parseTask(klingSucceeded)).toEqual(parseTask(wrap(klingSucceeded)));
	});

	it("takes a failed task's reason from task_status_msg", () => {
		const failed = parseTask({
			...klingHead,
			task_status: 'failed',
			task_status_msg: 'Failure to pass the risk control system',
			task_result: { videos: [] },
		});
		expect(failed).toMatchObject({
			status: 'failed',
			rawStatus: 'failed',
			errorCode: null,
			errorMessage: 'Failure to pass the risk control system',
			videoUrl: null,
			completedAt: '2025-11-24T16:00:00.000Z',
		});
	});

	it('gives a failed task with an empty task_status_msg a message anyway', () => {
		expect(parseTask({ ...klingHead, task_status: 'failed', task_status_msg: '' })?.errorMessage).toBe(
			'The task failed without a reason.',
		);
	});

	it('ignores task_status_msg while the task is not failed, and has no end time yet', () => {
		const running = parseTask(wrap({ ...klingHead, task_status: 'processing', task_status_msg: 'busy' }));
		expect(running).toMatchObject({ status: 'processing', errorMessage: null, completedAt: null });
	});

	it('lists images and videos of task_result and picks the video as videoUrl', () => {
		const task = parseTask({
			...klingSucceeded,
			task_result: {
				images: [{ index: 0, url: 'https://cdn.example/cover.png' }],
				videos: [{ id: 'vid_2', url: 'https://cdn.example/b.mp4', duration: '10' }],
			},
		});
		expect(task?.videos.map((video) => video.type)).toEqual(['video', 'image']);
		expect(task?.videoUrl).toBe('https://cdn.example/b.mp4');
		expect(task?.duration).toBe(10);
	});

	it('uses the external task ID the caller knows when task_info does not carry one', () => {
		expect(parseTask(wrap({ ...klingHead, task_info: {} }), 'mine')?.externalTaskId).toBe('mine');
	});

	it.each([
		['an error envelope answered with HTTP 200', { code: 1201, message: 'task not found', request_id: 'r' }],
		['a success envelope without a task', wrap(null)],
		['a Kling task without a status', { task_id: 'k1', task_info: {} }],
	])('rejects %s as not a task', (_name, body) => {
		expect(parseTask(body)).toBeNull();
	});
});

describe('parseErrorShape', () => {
	it("reads Kling's error body {code, message, request_id}", () => {
		expect(parseErrorShape({ code: 1000, message: 'Authentication failed', request_id: 'r' })).toEqual({
			code: 1000,
			message: 'Authentication failed',
		});
	});

	it('reads nested, flat and string errors', () => {
		expect(parseErrorShape({ error: { code: 8002009006, message: 'JWT authentication failed' } })).toEqual({
			code: 8002009006,
			message: 'JWT authentication failed',
		});
		expect(parseErrorShape({ code: '8002009003', msg: 'prompt length invalid' })).toEqual({
			code: 8002009003,
			message: 'prompt length invalid',
		});
		expect(parseErrorShape('  ')).toBeNull();
		expect(parseErrorShape({})).toBeNull();
	});
});

describe('parseQuote', () => {
	it("reads the gateway's price, as its SDK shows it", () => {
		const body = {
			status: 'success',
			data: {
				billing_model: 'kirin_v2_1_master_i2v',
				cost: '0.035714285714',
				currency: 'USD',
				discount: 0.7,
				hash: 'v1:18a7',
				sample_count: 1,
			},
		};
		expect(parseQuote(body)).toEqual({ known: true, cost: 0.035714285714, currency: 'USD', discount: 0.7 });
	});

	it('reads a cache miss as no price, with the API reason', () => {
		const body = { status: 'failed', data: { cost: null, hash: 'v1:0283', reason: 'COST_CACHE_MISS' } };
		expect(parseQuote(body)).toEqual({ known: false, apiReason: 'COST_CACHE_MISS' });
		expect(parseQuote({ status: 'failed', data: { cost: null } })).toEqual({ known: false, apiReason: null });
	});

	it('takes a price without a currency as dollars, and keeps another currency as stated', () => {
		expect(parseQuote({ status: 'success', data: { cost: 0.35 } })).toMatchObject({
			cost: 0.35,
			currency: 'USD',
		});
		expect(parseQuote({ status: 'success', data: { cost: '0.2', currency: 'credit', discount: 1 } })).toEqual(
			{
				known: true,
				cost: 0.2,
				currency: 'credit',
				discount: 1,
			},
		);
	});

	it("reads Kling's {code: 0, data} wrapper the same way", () => {
		expect(
			parseQuote({ code: 0, message: 'SUCCEED', data: { cost: '0.35', currency: 'USD' } }),
		).toMatchObject({
			known: true,
			cost: 0.35,
		});
	});

	it.each([
		['a task', completed],
		['an error body', { code: 1200, message: 'bad request', data: { cost: '0.35' } }],
		['an unknown status', { status: 'pending', data: { cost: '0.35' } }],
		['no data', { status: 'success' }],
		['data without a price or a reason', { status: 'success', data: { model: 'x' } }],
		['text', 'OK'],
	])('is null for %s', (_, body) => {
		expect(parseQuote(body)).toBeNull();
	});

	it('never reads a negative or unreadable cost as a price', () => {
		expect(parseQuote({ status: 'success', data: { cost: '-1' } })).toEqual({
			known: false,
			apiReason: null,
		});
		expect(parseQuote({ status: 'success', data: { cost: 'free' } })).toEqual({
			known: false,
			apiReason: null,
		});
	});
});

describe('odd answers never crash the parser', () => {
	it('reads a task whose created_at is in nanoseconds (once a RangeError: Invalid time value)', () => {
		const task = parseTask({ id: 't', status: 'pending', created_at: 1_764_000_000_000 * 1e6 });
		expect(task?.id).toBe('t');
		expect(task?.createdAt).toBe('2025-11-24T16:00:00.000Z');
	});

	it('keeps the task and its ID when a time is out of range (the time becomes null)', () => {
		const task = parseTask({ id: 't', status: 'succeed', created_at: 1e300, updated_at: -1 });
		expect(task).toMatchObject({ id: 't', status: 'completed', createdAt: null, completedAt: null });
	});

	it('reads an error given as a plain string that starts with a known code as that code', () => {
		const task = parseTask({ id: 't', status: 'failed', error: '8002009098: Generation process failed' });
		expect(task).toMatchObject({ errorCode: 8002009098, errorMessage: 'Generation process failed' });
		expect(parseErrorShape('8002009099 - provider unavailable')).toEqual({
			code: 8002009099,
			message: 'provider unavailable',
		});
		expect(parseErrorShape({ message: '8002009006: JWT authentication failed' })).toEqual({
			code: 8002009006,
			message: 'JWT authentication failed',
		});
	});

	it('leaves a leading number that is no known code in the message', () => {
		expect(parseErrorShape('1234567: something else')).toEqual({
			code: null,
			message: '1234567: something else',
		});
		expect(parseErrorShape({ code: 500, message: '8002009098: x' })).toEqual({
			code: 500,
			message: '8002009098: x',
		});
	});
});
