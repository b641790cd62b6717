import type { INodeProperties } from 'n8n-workflow';

import type { OperationName } from '../actions/operations';

/**
 * The Kirin node's parameters as "Kirin Tool" (the node attached to an AI Agent) shows them.
 * n8n's `@tool` display option is true only for that variant, so the normal node is unchanged;
 * an n8n without `@tool` shows the normal parameters in both. What the run does in tool mode
 * is decided in toolMode.ts, whatever these parameters say.
 */

/**
 * A value the model fills in, in the form the n8n editor writes for "Let the model define this
 * parameter", so the editor shows it as such. The description is what the model reads.
 */
function fromAi(key: string, description: string): string {
	return `={{ /*n8n-auto-generated-fromAI-override*/ $fromAI('${key}', \`${description}\`, 'string') }}`;
}

/** What the model reads about each operation (every one, or the build fails); the user can rewrite it. */
const TOOL_DESCRIPTIONS: Record<OperationName, string> = {
	create:
		'Makes a 1080p video clip from one still image and a prompt with Kirin. Give a public http(s) link to a PNG or JPEG image (at least 300 px per side) and a prompt saying what should move in the picture and how the camera moves. Waits until the video is ready, which can take a few minutes, and returns the task as JSON: "videoUrl" is the link to the MP4 to give the user, "status" is "completed" or "failed" (then "errorMessage" says why), "id" is the task ID.',
	getStatus:
		'Looks up a Kirin video task by its task ID and returns it as JSON: "status" (queued, processing, completed, failed or cancelled), "progress" in percent, and "videoUrl", the link to the MP4, once completed.',
	wait: 'Waits until a Kirin video task, given by its task ID, is completed or failed, and returns it as JSON with "videoUrl", the link to the MP4, when completed.',
	estimateCost:
		'Quotes what making a Kirin video from one still image and a prompt would cost, without making it. Give the same public image link and prompt as for creating; returns "estimatedCost" and "currency" as JSON, or "estimate": "unknown" with the reason.',
};

/** Parameters whose tool variant replaces them in tool mode: choices and defaults an agent can use. */
const TOOL_VARIANTS: Record<string, Partial<INodeProperties>> = {
	imageSource: {
		options: [
			{ name: 'URL', value: 'url', description: 'A public link to a PNG or JPEG image' },
			{ name: 'Base64', value: 'base64', description: 'The image as a base64 string' },
		],
		default: 'url',
	},
	imageUrl: {
		default: fromAi(
			'Image_URL',
			'Public http(s) link to the PNG or JPEG image to turn into a video, at least 300 px per side',
		),
	},
	imageBase64: {
		default: fromAi(
			'Image_Base64',
			'The PNG or JPEG image to turn into a video as a base64 string (a data:image/...;base64, prefix is fine), at least 300 px per side',
		),
	},
	endImageSource: {
		options: [
			{ name: 'None', value: 'none', description: 'The video ends where the prompt takes it' },
			{ name: 'URL', value: 'url', description: 'The model gives a public link to the last frame' },
		],
		default: 'none',
	},
	endImageUrl: {
		default: fromAi(
			'End_Image_URL',
			'Public http(s) link to the PNG or JPEG image the video should end on, at least 300 px per side',
		),
	},
	prompt: {
		default: fromAi(
			'Prompt',
			'What should happen in the video: the motion, the camera, the mood; at most 2500 characters',
		),
	},
	waitForCompletion: {
		default: true,
		description:
			'Whether to wait until the video is ready and return its URL, instead of returning the new task at once',
	},
	taskId: {
		default: fromAi('Task_ID', 'The ID of the Kirin video task, the "id" that creating the video returned'),
	},
};

/** Parameters a tool has no use for: an agent gets no binary data, and a tool cannot pause. */
const NOT_FOR_TOOLS = new Set(['waitMethod', 'pauseNotice', 'download', 'binaryPropertyOutput']);

function onlyInToolMode(property: INodeProperties, toolMode: boolean): INodeProperties {
	const displayOptions = { ...property.displayOptions };
	if (toolMode) displayOptions.show = { ...displayOptions.show, '@tool': [true] };
	else displayOptions.hide = { ...displayOptions.hide, '@tool': [true] };
	return { ...property, displayOptions };
}

function toolDescription(operation: string, text: string): INodeProperties {
	return {
		displayName: 'Description',
		// The name n8n looks for: with it, n8n adds no generic description of its own.
		name: 'toolDescription',
		type: 'string',
		typeOptions: { rows: 4 },
		default: text,
		required: true,
		description:
			'What the AI model reads about this tool: say what it does, what it needs and what it returns',
		displayOptions: { show: { operation: [operation], '@tool': [true] } },
	};
}

const toolNotice: INodeProperties = {
	displayName:
		'As an AI Agent tool, Kirin returns the task as JSON with the video\'s link ("videoUrl"), never the video file, and polls instead of pausing. Fields marked as defined by the model are filled in by the AI model.',
	name: 'toolNotice',
	type: 'notice',
	default: '',
	displayOptions: { show: { '@tool': [true] } },
};

/** The node's parameters with the tool variants and tool-only fields added. */
export function withToolFields(properties: INodeProperties[]): INodeProperties[] {
	const adapted = properties.flatMap((property) => {
		const variant = TOOL_VARIANTS[property.name];
		if (variant) {
			return [onlyInToolMode(property, false), onlyInToolMode({ ...property, ...variant }, true)];
		}
		return NOT_FOR_TOOLS.has(property.name) ? [onlyInToolMode(property, false)] : [property];
	});
	const descriptions = Object.entries(TOOL_DESCRIPTIONS).map(([operation, text]) =>
		toolDescription(operation, text),
	);
	return [...descriptions, toolNotice, ...adapted];
}
