import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { judgeReach, REACH_FIX, shownUrl } from '../../shared/api/reachability';
import type { Check } from '../../shared/input/check';
import { optionChoice, readOptions, type ChoiceRule } from '../actions/common/options';
import type { PreparedCreate } from './createInputs';
import type { ItemResult } from '../actions/results';

/**
 * Callback URLs Kirin cannot call (n8n on localhost or a private address without WEBHOOK_URL,
 * the Test URL pasted for the Production URL) are the usual reason a callback never arrives.
 * They are judged before anything is created (shared/api/reachability.ts): a Callback URL gets a
 * warning on its item, or stops the node if the user chose so; Pause waits by polling instead.
 */

export const UNREACHABLE_CALLBACK_OPTION: INodeProperties = {
	displayName: 'If Kirin Cannot Reach the Callback URL',
	name: 'unreachableCallback',
	type: 'options',
	options: [
		{
			name: 'Stop With an Error',
			value: 'error',
			description: 'Create nothing, and say which URL and why',
		},
		{
			name: 'Warn and Send It Anyway',
			value: 'warn',
			description: 'Create the task with this Callback URL and add a callbackWarning field to the item',
		},
	],
	default: 'warn',
	description:
		"What to do when the Callback URL is on localhost, a private network address or n8n's Test URL, while the credential's Base URL is a public host",
};

/** The output fields that say why a Create waited by polling although Pause was chosen. */
export interface PollNote {
	waitedBy: 'poll';
	waitNote: string;
}

/** What an item does when Kirin cannot reach its Callback URL; any other value is an error. */
const UNREACHABLE_RULE: ChoiceRule<'error' | 'warn'> = {
	label: 'If Kirin Cannot Reach the Callback URL',
	choices: { error: 'Stop With an Error', warn: 'Warn and Send It Anyway' },
	whenRemoved: 'warn',
};

/**
 * Each item's reason Kirin probably cannot reach its Callback URL (by item index), or the error
 * that stops the node when that item's choice is "Stop With an Error". Every item with a
 * Callback URL has its choice read and checked, reachable or not: a value that is neither
 * choice stops the node too. Runs before the first claim or create.
 */
export function judgeCallbackUrls(
	ctx: IExecuteFunctions,
	prepared: Array<Check<PreparedCreate>>,
	apiBaseUrl: string,
): Map<number, string> {
	const warnings = new Map<number, string>();
	prepared.forEach((entry, itemIndex) => {
		const url = entry.ok ? entry.value.inputs.callbackUrl : undefined;
		if (url === undefined) return;
		const options = readOptions(ctx, itemIndex, { unreachableCallback: UNREACHABLE_RULE.label });
		const choice = optionChoice(ctx, options, 'unreachableCallback', UNREACHABLE_RULE, itemIndex);
		const reason = judgeReach(url, apiBaseUrl);
		if (reason === null) return;
		const message = `Kirin probably cannot reach the Callback URL ${shownUrl(url)}: ${reason}`;
		if (choice === 'error') {
			throw new NodeOperationError(ctx.getNode(), `${message} [item ${itemIndex}]`, {
				itemIndex,
				description: `Nothing was created. ${REACH_FIX} Or choose "${UNREACHABLE_RULE.choices.warn}" in Options → ${UNREACHABLE_RULE.label}.`,
			});
		}
		warnings.set(itemIndex, message);
	});
	return warnings;
}

/**
 * An item's callbackWarning: what the task did with the URL depends on whether it was created
 * now with it, or made before and reused (Kirin calls back only the URL it was created with).
 */
function callbackWarning(message: string, reused: boolean): string {
	const what = reused
		? 'Nothing was created: the task was made before and is reused, and Kirin calls back only the URL it was created with'
		: 'The task was created with it anyway';
	return `${message}. ${what}. ${REACH_FIX}`;
}

/**
 * Why Pause cannot work here (Kirin cannot call this execution's resume URL), as the note each
 * item carries after the node polled instead, or null when pausing can work.
 */
export function pauseReachNote(ctx: IExecuteFunctions, apiBaseUrl: string): PollNote | null {
	const resumeUrl = String(ctx.evaluateExpression('{{ $execution.resumeUrl }}', 0));
	const reason = judgeReach(resumeUrl, apiBaseUrl);
	if (reason === null) return null;
	ctx.logger.info(`Kirin waits by polling instead of pausing: ${reason}`, {
		executionId: ctx.getExecutionId(),
	});
	return {
		waitedBy: 'poll',
		waitNote: `Waited by polling instead of pausing: Kirin cannot call this n8n back at ${shownUrl(resumeUrl)}, because ${reason}. ${REACH_FIX}`,
	};
}

/**
 * Adds the warnings and the poll note to the items of tasks (a failed item keeps its shape: n8n
 * routes it by its fields). Items are paired with their input item (results.ts resultItems).
 */
export function withReachNotes(
	items: INodeExecutionData[],
	results: readonly ItemResult[],
	warnings: Map<number, string>,
	pollNote: PollNote | null,
): INodeExecutionData[] {
	if (warnings.size === 0 && pollNote === null) return items;
	for (const [index, item] of items.entries()) {
		const result = results[index];
		if (!result?.ok) continue;
		if (pollNote) Object.assign(item.json, pollNote);
		const warning = warnings.get(index);
		if (warning !== undefined) item.json.callbackWarning = callbackWarning(warning, result.reused === true);
	}
	return items;
}
