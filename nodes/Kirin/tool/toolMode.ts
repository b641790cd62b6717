import type { IExecuteFunctions } from 'n8n-workflow';

import { refuse } from '../../shared/input/check';

/**
 * What changes when the node runs as an AI Agent tool ("Kirin Tool").
 *
 * n8n wraps a node that is `usableAsTool` into a second node type whose name ends in "Tool"
 * (`n8n-nodes-kirin.kirinTool`) and runs the same `execute` for it. Its type name is the one
 * reliable sign of tool mode: the AI Agent v3 has the engine run the tool as an ordinary node,
 * whose context answers `isToolExecution()` with false. n8n makes the same test for the
 * `@tool` display option and in its own nodes.
 *
 * An agent reads only the items' JSON (binary is dropped), cannot hand the node a file, and
 * waits for the tool's answer in the same run. Hence, in tool mode:
 * - Create never pauses the execution (Wait Method is always Poll),
 * - no operation downloads the video (the task's `videoUrl` is what the agent can pass on),
 * - an image must come as a URL or base64.
 */
export function isToolMode(ctx: Pick<IExecuteFunctions, 'getNode'>): boolean {
	const typeName = ctx.getNode().type.split('.').pop() ?? '';
	return typeName.endsWith('Tool');
}

export const BINARY_IMAGE_IN_TOOL_MODE = refuse(
	'An AI Agent cannot pass a file to the Kirin tool',
	'Set Image Source to URL (or Base64) and let the model fill in the image URL.',
);

/**
 * What tells one tool call from another in the same execution, for the derived external
 * task ID; undefined outside tool mode, so normal IDs stay as they were. The AI Agent v3 puts
 * the model's tool call ID on the item (a retry of the call keeps it); older agents pass only
 * the model's arguments, and their run index, new for every call and every retry, tells the
 * calls apart (so there a retry is a new call: the README says to leave Retry On Fail off).
 */
export function toolCallKey(ctx: IExecuteFunctions, itemIndex: number): string | undefined {
	if (!isToolMode(ctx)) return undefined;
	const json = ctx.getInputData()[itemIndex]?.json ?? {};
	return typeof json.toolCallId === 'string' ? json.toolCallId : JSON.stringify(json);
}
