/**
 * The form example as a person uses it: the workflow is activated, a product photo and a prompt
 * are posted to the form's production URL as a real multipart upload, the page waits (as n8n's
 * form page does, by asking for the execution's status) until the video is ready, and the
 * completion page hands back the video file. The simulator renders playable clips here, as in
 * the demo.
 */
import FormData from 'form-data';
import { sleep } from 'n8n-workflow';

import { samplePhoto } from '../simulator/samplePhoto';
import { readMp4 } from '../support/mp4';
import { apiTask, type E2eStack, output, readExample, startStack } from './stack';

let stack: E2eStack;

beforeAll(async () => {
	stack = await startStack({ simulator: { queuedMs: 300, generationMs: 1500, video: 'mp4' } });
}, 240_000);

afterAll(async () => {
	await stack?.stop();
});

/** Posts the form as a browser does: multipart/form-data, the fields named as n8n renders them. */
function submit(url: string, form: FormData): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		form.submit(url, (error, response) => {
			if (error) return reject(error);
			let body = '';
			response.setEncoding('utf8');
			response.on('data', (text: string) => (body += text));
			response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
			response.on('error', reject);
		});
	});
}

/** The waiting form's status, as n8n's form page polls it (n8n has no event for it). */
async function waitUntilFormWaiting(waitingUrl: URL, timeoutMs = 180_000): Promise<void> {
	const statusUrl = new URL(waitingUrl);
	statusUrl.pathname += '/n8n-execution-status';
	const until = Date.now() + timeoutMs;
	for (;;) {
		const status = (await (await fetch(statusUrl)).text()).trim();
		if (status === 'form-waiting') return;
		if (['canceled', 'crashed', 'error', 'success', 'null'].includes(status))
			throw new Error(`the execution ended as ${status} before its completion page`);
		if (Date.now() > until) throw new Error(`the form was still "${status}" after ${timeoutMs} ms`);
		await sleep(500);
	}
}

/** The files n8n's completion page downloads on load ("Return Binary File"). */
function completionFiles(html: string): Array<{ fileName: string; type: string; bytes: Buffer }> {
	const embedded = /const binaries = "([^"]*)"/.exec(html);
	if (!embedded) throw new Error(`the completion page carries no files:\n${html.slice(0, 500)}`);
	const files = JSON.parse(decodeURIComponent(embedded[1])) as Array<{
		fileName: string;
		type: string;
		data: { type: 'Buffer'; data: number[] };
	}>;
	return files.map((file) => ({
		fileName: file.fileName,
		type: file.type,
		bytes: Buffer.from(file.data.data),
	}));
}

it('turns an uploaded photo and a prompt into the video the completion page returns', async () => {
	const workflow = await stack.importWorkflow(readExample('form-to-video.json', stack), { activate: true });
	const formUrl = `${stack.n8nUrl}/form/kirin-video`;

	// The form a person opens.
	const page = await fetch(formUrl);
	expect(page.status).toBe(200);
	const html = await page.text();
	expect(html).toContain('Turn a product photo into a video');
	expect(html).toContain('Product photo');

	const photo = samplePhoto(1024, 1024);
	const prompt = 'The camera slowly circles the bottle, soft morning light';
	const form = new FormData();
	form.append('field-0', photo, { filename: 'bottle.png', contentType: 'image/png' });
	form.append('field-1', prompt);
	form.append('field-2', '10');
	const submitted = await submit(formUrl, form);
	expect(submitted.status).toBe(200);
	const waitingUrl = new URL(JSON.parse(submitted.body).formWaitingUrl);

	await waitUntilFormWaiting(waitingUrl);
	const completion = await fetch(waitingUrl);
	expect(completion.status).toBe(200);
	const completionHtml = await completion.text();
	expect(completionHtml).toContain('Your video is ready');

	// The task was made from the uploaded bytes, with the form's prompt and duration.
	expect(stack.simulator.tasks()).toHaveLength(1);
	const task = apiTask(stack, stack.simulator.tasks()[0].id);
	expect(stack.simulator.getParams(task.id)).toMatchObject({
		image: photo.toString('base64'),
		prompt,
		duration: '10',
	});
	expect(task.status).toBe('succeed');

	// The page hands back the video: the very file the API served, a 10 s clip at 24 fps.
	const [file, ...others] = completionFiles(completionHtml);
	expect(others).toHaveLength(0);
	expect(file).toMatchObject({ fileName: `${task.id}.mp4`, type: 'video/mp4' });
	expect(file.bytes.equals(stack.simulator.expectedVideo(task.id))).toBe(true);
	expect(readMp4(file.bytes)).toMatchObject({ duration: 10, fps: 24, width: 1080, height: 1080 });
	// ... and shows it from the API's video URL.
	expect(completionHtml).toContain(`<source src="${task.output[0].content[0].url}"`);

	// The completion page resumes the execution as it loads; the run then ends successfully.
	const resumed = await fetch(waitingUrl, { method: 'POST' });
	expect(resumed.status).toBe(200);
	const executionId = waitingUrl.pathname.split('/').pop()!;
	const execution = await stack.finished(executionId);
	expect(execution).toMatchObject({ status: 'success', workflowId: workflow.id });
	const [upload] = output(execution, 'Product Photo Form');
	expect(upload.binary!.Product_photo).toMatchObject({ fileName: 'bottle.png', mimeType: 'image/png' });
	const [kirin] = output(execution, 'Kirin');
	expect(kirin.json).toMatchObject({ id: task.id, status: 'completed' });
});
