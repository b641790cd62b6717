/**
 * `npm run dev`, the README's first command, as a newcomer runs it: it ends with n8n answering,
 * the demo workflow imported and already run to a completed video, and Ctrl-C stops it all.
 */
import { N8nSession } from '../../scripts/lib/n8nServer';
import { freePort } from '../../scripts/lib/stack';
import { makeTempDir, removeDir } from '../support/files';
import { startDev } from '../support/processes';

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

	const exited = new Promise<number | null>((resolve) => dev!.once('exit', resolve));
	dev.kill('SIGINT');
	expect(await exited).toBe(0);
	await expect(fetch(`${editor![1]}/healthz`)).rejects.toThrow();
	await expect(fetch(`http://127.0.0.1:${simulatorPort}/samples/a-400x400.png`)).rejects.toThrow();
});
