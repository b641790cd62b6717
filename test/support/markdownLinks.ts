/**
 * The relative links of Markdown files and whether each points somewhere: a file or folder of
 * the repository, and, for `#anchor`, a heading of the target file as GitHub names it. Pure:
 * the caller reads the files (test/support/files.js) and says which paths exist.
 */
export interface MarkdownFile {
	/** Path from the repository's root, with `/`. */
	path: string;
	text: string;
}

export interface BrokenLink {
	file: string;
	line: number;
	target: string;
	why: string;
}

/** The lines outside fenced code blocks and HTML comments, with their 1-based numbers. */
function proseLines(text: string): Array<{ line: number; text: string }> {
	const lines: Array<{ line: number; text: string }> = [];
	let fence: string | null = null;
	let inComment = false;
	text.split('\n').forEach((raw, index) => {
		const fenceMark = /^\s*(```|~~~)/.exec(raw)?.[1];
		if (fenceMark && (fence === null || fence === fenceMark)) {
			fence = fence === null ? fenceMark : null;
			return;
		}
		if (fence !== null) return;
		let line = raw;
		if (inComment) {
			const end = line.indexOf('-->');
			if (end === -1) return;
			line = line.slice(end + 3);
			inComment = false;
		}
		line = line.replace(/<!--.*?-->/g, '');
		const open = line.indexOf('<!--');
		if (open !== -1) {
			line = line.slice(0, open);
			inComment = true;
		}
		lines.push({ line: index + 1, text: line });
	});
	return lines;
}

/** A heading's text as GitHub renders it: code spans, links and emphasis reduced to their text. */
function renderedText(heading: string): string {
	return heading
		.replace(/!\[[^\]]*\]\([^)]*\)/g, '')
		.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
		.replace(/<[^>]+>/g, '')
		.replace(/[`*]/g, '')
		.replace(/(^|\s)_+|_+(\s|$)/g, '$1$2')
		.trim();
}

/**
 * GitHub's anchor for a heading (github-slugger's rules): lower case, every character that is
 * not a letter, a digit, a mark, `-`, `_` or a space dropped, each space a `-`.
 */
export function slugOf(heading: string): string {
	return renderedText(heading)
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\p{M}\p{Pc}\- ]/gu, '')
		.replace(/ /g, '-');
}

/** Every anchor of a file: its headings' slugs (a repeated slug gets `-1`, `-2`, …) and explicit ids. */
export function anchorsOf(text: string): Set<string> {
	const anchors = new Set<string>();
	const counts = new Map<string, number>();
	for (const { text: line } of proseLines(text)) {
		const heading = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
		if (heading) {
			const slug = slugOf(heading[1]);
			const seen = counts.get(slug) ?? 0;
			counts.set(slug, seen + 1);
			anchors.add(seen === 0 ? slug : `${slug}-${seen}`);
		}
		for (const id of line.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) anchors.add(id[1]);
	}
	return anchors;
}

/** The link targets of a file (inline links and images), outside code, with their lines. */
export function linksOf(text: string): Array<{ line: number; target: string }> {
	return proseLines(text).flatMap(({ line, text: prose }) =>
		[...prose.replace(/`[^`]*`/g, '``').matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map(
			(match) => ({ line, target: match[1] }),
		),
	);
}

/**
 * `target` relative to the folder of `from`, as a path from the repository's root; a path that
 * leaves the repository starts with `../`. (No `path` module: the package's lint allows none here.)
 */
export function resolvePath(from: string, target: string): string {
	const parts = from.split('/').slice(0, -1);
	for (const part of target.split('/')) {
		if (part === '' || part === '.') continue;
		if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
		else parts.push(part);
	}
	return parts.join('/');
}

function isExternal(target: string): boolean {
	return /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');
}

/**
 * The links of `files` that point nowhere. `exists` says whether a repository path is a file or
 * folder; an anchor is looked up in the target when it is one of `files`.
 */
export function brokenLinks(files: MarkdownFile[], exists: (path: string) => boolean): BrokenLink[] {
	const byPath = new Map(files.map((file) => [file.path, file]));
	const anchors = new Map<string, Set<string>>();
	const anchorsIn = (file: MarkdownFile) => {
		let found = anchors.get(file.path);
		if (!found) anchors.set(file.path, (found = anchorsOf(file.text)));
		return found;
	};
	const broken: BrokenLink[] = [];
	for (const file of files) {
		for (const { line, target } of linksOf(file.text)) {
			if (isExternal(target)) continue;
			const [pathPart, anchor] = target.split('#', 2) as [string, string | undefined];
			const resolved = pathPart ? resolvePath(file.path, decodeURIComponent(pathPart)) : file.path;
			const report = (why: string) => broken.push({ file: file.path, line, target, why });
			if (resolved === '..' || resolved.startsWith('../')) {
				report('points outside the repository');
				continue;
			}
			if (!byPath.has(resolved) && !exists(resolved)) {
				report(`no file ${resolved}`);
				continue;
			}
			if (anchor === undefined) continue;
			const targetFile = byPath.get(resolved);
			if (!targetFile) {
				if (resolved.endsWith('.md')) report(`${resolved} is not among the checked files`);
				continue;
			}
			if (!anchorsIn(targetFile).has(decodeURIComponent(anchor))) {
				report(`no heading #${anchor} in ${resolved}`);
			}
		}
	}
	return broken;
}
