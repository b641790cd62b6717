/**
 * `npm run dev`, the README's first command, as a newcomer runs it: it ends with n8n answering,
 * the demo workflow imported and already run to a completed video that plays (a real H.264 MP4
 * of the task's duration at 24 fps, checked by ffprobe decoding every frame), the photo form
 * live, and Ctrl-C stops it all.
 */
import { N8nSession } from '../../scripts/lib/n8nServer';
import { freePort, parseFlatted } from '../../scripts/lib/stack';
import { makeTempDir, removeDir } from '../support/files';
import { ffprobe, startDev } from '../support/processes';
import { output, readExample } from './stack';

type ChildProcess = ReturnType<typeof startDev>;

let dev: ChildProcess | undefined;
let userFolder: string;
afterAll(() => {
	dev?.kill('SIGKILL');
	removeDir(userFolder);
});

/** Resolves with everything printed once `marker` appears; rejects if the process ends first. */
function printedUntil(child: ChildProcess, marker: string): Promise<string> {
	let printed = '';
	return new Promise((resolve, reject) => {
		child.stdout!.setEncoding('utf8');
		child.stdout!.on('data', (text: string) => {
			printed += text;
			if (printed.includes(marker)) resolve(printed);
		});
		child.stderr!.on('data', (text: Buffer) => (printed += text.toString()));
		child.once('exit', (code) => reject(new Error(`npm run dev exited (${code}):\n${printed}`)));
	});
}

it('starts n8n with the demo workflow, runs it to a completed video, and stops on Ctrl-C', async () => {
	userFolder = makeTempDir('kirin-dev-');
	const [port, simulatorPort] = [await freePort(), await freePort()];
	// The e2e setup has built the package already.
	dev = startDev([
		'--skip-build',
		'--port',
		String(port),
		'--simulator-port',
		String(simulatorPort),
		'--user-folder',
		userFolder,
	]);
	const printed = await printedUntil(dev, 'Press Ctrl-C to stop.');

	expect(printed).toMatch(/Kirin task task_\w+: completed, video task_\w+\.mp4/);
	const editor = /Editor: +(http:\/\/127\.0\.0\.1:\d+)\/workflow\/(\w+)/.exec(printed);
	expect(editor?.[1]).toBe(`http://127.0.0.1:${port}`);

	// n8n answers on its port with the demo workflow, and the login printed works.
	const session = await new N8nSession(editor![1]).ready();
	const workflow = await session.request('GET', `/rest/workflows/${editor![2]}`);
	expect(workflow.name).toBe('Kirin: image to video (wait for the video)');
	const executions = await session.request(
		'GET',
		`/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: editor![2] }))}`,
	);
	expect(executions.results.map((run: { status: string }) => run.status)).toEqual(['success']);

	// The video n8n stored plays: ffprobe decodes every frame of it.
	const execution = await session.request('GET', `/rest/executions/${executions.results[0].id}`);
	const [item] = output({ ...execution, data: parseFlatted(execution.data) }, 'Kirin');
	expect(item.json.status).toBe('completed');
	const query = new URLSearchParams({ id: item.binary!.video.id, action: 'download', mimeType: 'video/mp4' });
	const download = await fetch(`${editor![1]}/rest/binary-data?${query}`, {
		headers: { cookie: session.cookie, 'browser-id': 'kirin-e2e' },
	});
	expect(download.status).toBe(200);
	const probe = ffprobe(Buffer.from(await download.arrayBuffer()));
	const seconds = Number(
		readExample('image-to-video.json').nodes.find((node) => node.name === 'Kirin')!.parameters.duration,
	);
	expect(probe).toEqual({
		codec: 'h264',
		width: 1920,
		height: 1080,
		frameRate: '24/1',
		framesDecoded: 24 * seconds,
		duration: seconds,
	});

	// The photo form is live at the address printed.
	const form = /Form: +(http:\/\/\S+)/.exec(printed);
	expect(form?.[1]).toBe(`http://127.0.0.1:${port}/form/kirin-video`);
	expect((await fetch(form![1])).status).toBe(200);

	const exited = new Promise<number | null>((resolve) => dev!.once('exit', resolve));
	dev.kill('SIGINT');
	expect(await exited).toBe(0);
	await expect(fetch(`${editor![1]}/healthz`)).rejects.toThrow();
	await expect(fetch(`http://127.0.0.1:${simulatorPort}/samples/a-400x400.png`)).rejects.toThrow();
});
