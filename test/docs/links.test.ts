/**
 * Every relative link and anchor in README.md and docs/*.md points somewhere: a file of the
 * repository, and a heading of the target as GitHub names it. Offline: external links are not
 * followed. The checker's own rules are tested first, on made-up files, so a checker that found
 * nothing broken could not pass unnoticed.
 */
import { fileExists, listDir, readFile, repoPath } from '../support/files';
import { anchorsOf, brokenLinks, slugOf, type MarkdownFile } from '../support/markdownLinks';

const exists = (path: string) => fileExists(repoPath(path));

function repositoryDocs(): MarkdownFile[] {
	const docs = listDir(repoPath('docs'))
		.filter((name: string) => name.endsWith('.md'))
		.map((name: string) => `docs/${name}`);
	return ['README.md', ...docs].map((path) => ({ path, text: readFile(repoPath(path)).toString('utf8') }));
}

describe('the link checker', () => {
	it('names headings as GitHub does: code spans, punctuation and repeats', () => {
		expect(slugOf('The demo: `npm run dev`')).toBe('the-demo-npm-run-dev');
		expect(slugOf('Scaling out: Poll, Pause or Trigger')).toBe('scaling-out-poll-pause-or-trigger');
		expect(slugOf('In an AI Agent (Kirin Tool)')).toBe('in-an-ai-agent-kirin-tool');
		expect(slugOf('Errors and what to do')).toBe('errors-and-what-to-do');
		expect(slugOf('**Bold** and [a link](x.md) → on')).toBe('bold-and-a-link--on');
		expect([...anchorsOf('# Top\n## Same\n## Same\n```\n# not a heading\n```\n')]).toEqual([
			'top',
			'same',
			'same-1',
		]);
	});

	it('reports a broken anchor, a missing file and a link outside the repository', () => {
		const files: MarkdownFile[] = [
			{
				path: 'README.md',
				text: [
					'# Title',
					'[ok](docs/A.md#a-heading) [ok](#title) [ok](examples/) [web](https://example.com/#x)',
					'[bad anchor](docs/A.md#scaling-out)',
					'[bad file](docs/Missing.md)',
					'[outside](../elsewhere/NOTES.md)',
					'`[in code](nowhere.md)`',
					'```',
					'[in a fence](nowhere.md)',
					'```',
				].join('\n'),
			},
			{ path: 'docs/A.md', text: '# A heading\n[back](../README.md#title) [self](#nope)\n' },
		];
		const broken = brokenLinks(files, (path) => path === 'examples');
		expect(broken.map(({ file, line, target }) => `${file}:${line} ${target}`)).toEqual([
			'README.md:3 docs/A.md#scaling-out',
			'README.md:4 docs/Missing.md',
			'README.md:5 ../elsewhere/NOTES.md',
			'docs/A.md:2 #nope',
		]);
	});
});

it('README.md and docs/*.md have no link that points nowhere', () => {
	const files = repositoryDocs();
	expect(files.map((file) => file.path)).toContain('docs/API.md');
	expect(brokenLinks(files, exists)).toEqual([]);
});
