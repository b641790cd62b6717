import { parseErrorShape, parseTask } from '../../../../nodes/shared/api/parse';

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

describe('parseErrorShape', () => {
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
