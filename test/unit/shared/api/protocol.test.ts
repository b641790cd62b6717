import { parseTask } from '../../../../nodes/shared/api/parse';
import { callbackBody, createBody } from '../../../../nodes/shared/api/protocol';
import type { CreateTaskRequest } from '../../../../nodes/shared/api/types';

const base64 = Buffer.from('not really a png').toString('base64');

function request(overrides: Partial<CreateTaskRequest> = {}): CreateTaskRequest {
	return {
		image: {
			kind: 'base64',
			length: base64.length,
			write: async (target) => void target.write(base64, 'latin1'),
		},
		prompt: 'a slow pan',
		duration: '5',
		watermark: false,
		externalTaskId: 'order-7',
		derivedExternalTaskId: false,
		...overrides,
	};
}

async function params(overrides: Partial<CreateTaskRequest> = {}): Promise<Record<string, unknown>> {
	const body = JSON.parse((await createBody(request(overrides))).toString('utf8'));
	return body.input[0].params;
}

describe('createBody', () => {
	it('sends Additional Parameters after the image and before the node fields', async () => {
		const sent = await params({ additionalParams: { negative_prompt: 'blurry', cfg_scale: 0.5 } });
		expect(sent).toEqual({
			image: base64,
			negative_prompt: 'blurry',
			cfg_scale: 0.5,
			prompt: 'a slow pan',
			duration: '5',
			watermark_info: { enabled: false },
			external_task_id: 'order-7',
		});
		expect(Object.keys(sent)[0]).toBe('image');
	});

	it("keeps the node's own fields, whatever Additional Parameters hold", async () => {
		const sent = await params({
			additionalParams: { image: 'http://elsewhere/x.png', prompt: 'other', external_task_id: 'stolen' },
		});
		expect(sent).toMatchObject({ image: base64, prompt: 'a slow pan', external_task_id: 'order-7' });
	});

	it('sends no additional field when there is none', async () => {
		expect(Object.keys(await params())).toEqual([
			'image',
			'prompt',
			'duration',
			'watermark_info',
			'external_task_id',
		]);
	});

	it('streams an end image (image_tail) second, after the image, each into its own place', async () => {
		const tail = Buffer.from('the last frame, not really a png either').toString('base64');
		const sent = await params({
			// A prompt holding the placeholders' words must not move either image.
			prompt: 'kirin-image-goes-here kirin-image-tail-goes-here',
			imageTail: {
				kind: 'base64',
				length: tail.length,
				write: async (target) => void target.write(tail, 'latin1'),
			},
			additionalParams: { image_tail: 'http://elsewhere/x.png', negative_prompt: 'blurry' },
		});
		expect(Object.keys(sent).slice(0, 3)).toEqual(['image', 'image_tail', 'negative_prompt']);
		expect(sent).toMatchObject({
			image: base64,
			image_tail: tail,
			prompt: 'kirin-image-goes-here kirin-image-tail-goes-here',
		});
	});

	it('sends an end image URL as is, beside a streamed image', async () => {
		const sent = await params({ imageTail: { kind: 'url', url: 'https://x.example/end.png' } });
		expect(sent).toMatchObject({ image: base64, image_tail: 'https://x.example/end.png' });
	});
});

describe('callbackBody', () => {
	const gateway = {
		id: 'task_1',
		status: 'succeed',
		model: 'kirin_v2_1_master_i2v',
		created_at: 1_764_000_000,
		completed_at: 1_764_000_090,
		progress: 100,
		output: [
			{ content: [{ type: 'video', url: 'https://cdn.example/v.mp4', duration: '5', jobId: 'job_1' }] },
		],
		usage: { cost: '0.35', discount: 0.1, duration: 5 },
		metadata: { external_task_id: 'order-7' },
	};
	const kling = {
		task_id: 'task_2',
		task_status: 'failed',
		task_status_msg: 'Generation process failed',
		task_info: { external_task_id: 'order-8' },
		created_at: 1_764_000_000_000,
		updated_at: 1_764_000_090_000,
		task_result: { videos: [] },
	};

	it.each([
		['a completed task in the gateway shape', gateway],
		["a failed task in Kling's shape", kling],
	])('reads back as the same task: %s', (_, body) => {
		const task = parseTask(body)!;
		const posted = JSON.parse(JSON.stringify(callbackBody(task)));
		expect(parseTask(posted)).toEqual(task);
	});
});
