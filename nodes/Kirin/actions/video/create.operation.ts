import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { createTask } from '../../../shared/api/createOnce';
import { mapWithConcurrency, settle } from '../../../shared/concurrency';
import { claimAll, releaseClaims } from '../../create/claims';
import { ADDITIONAL_PARAMETERS_OPTION, createInputFields, WATERMARK_OPTION } from '../../create/createFields';
import { createRequestFor, prepareCreates } from '../../create/createInputs';
import { resendReusedCallbacks } from '../../create/reusedCallbacks';
import { readSpendLimits, SPEND_OPTIONS } from '../../create/spend/limits';
import { spendGate } from '../../create/spend/spendGate';
import {
	canPause,
	checkPausable,
	pauseUntilCalledBack,
	pointCallbacksHere,
} from '../../pause/pauseExecution';
import { PAUSE_OPTION, pauseNotice } from '../../pause/pauseFields';
import { isToolMode } from '../../tool/toolMode';
import { waitThenDownload } from '../../wait/waitThenDownload';
import { noteUncheckedModelFields } from '../../create/modelFields/readModelFields';
import {
	judgeCallbackUrls,
	pauseReachNote,
	UNREACHABLE_CALLBACK_OPTION,
	withReachNotes,
} from '../../create/callbackReach';
import { optionsField, waitFields } from '../common/fields';
import { connect, readDownloadChoice, readRunOptions, readWaitChoice } from '../common/settings';
import { failed, inputError, toOutputItems, type ItemResult } from '../results';

const show = { operation: ['create'] };

export const description: INodeProperties[] = [
	...createInputFields(show),
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: false,
		description:
			'Whether to wait until the video is ready and output it, instead of outputting the new task right away',
		displayOptions: { show },
	},
	{
		displayName: 'Wait Method',
		name: 'waitMethod',
		type: 'options',
		options: [
			{
				name: 'Poll',
				value: 'poll',
				description:
					'Ask Kirin every few seconds while the node runs. Simple; holds the execution (and a worker) meanwhile.',
			},
			PAUSE_OPTION,
		],
		default: 'poll',
		displayOptions: { show: { ...show, waitForCompletion: [true] } },
	},
	pauseNotice({ ...show, waitForCompletion: [true] }),
	...waitFields({ ...show, waitForCompletion: [true] }),
	optionsField(
		show,
		[
			{
				displayName: 'Callback URL',
				name: 'callbackUrl',
				type: 'string',
				default: '',
				placeholder: 'https://your-n8n.example.com/webhook/…/kirin',
				description:
					'Kirin POSTs the task to this URL on every status change. Paste the production URL of a Kirin Trigger node here to handle finished videos in another workflow. If the credential has a Callback Secret, it is added as ?token=….',
			},
			{
				displayName: 'External Task ID',
				name: 'externalTaskId',
				type: 'string',
				default: '',
				description:
					'Your own ID for the task (for example an order or product ID). Running the same ID again returns its task instead of paying for a new video (unless that task failed). Left empty, one is derived from the workflow, the node and what the item asks for.',
			},
			{
				displayName: 'Always Create New Videos',
				name: 'alwaysCreateNew',
				type: 'boolean',
				default: false,
				description:
					'Whether every execution buys new videos, even for the same image and prompt. Off, running the node again over the same inputs returns the videos made before (done or still being made) and only makes again the ones that failed.',
			},
			UNREACHABLE_CALLBACK_OPTION,
			WATERMARK_OPTION,
			ADDITIONAL_PARAMETERS_OPTION,
			...SPEND_OPTIONS,
		],
		// The poll settings act only while Create waits.
		{ '/waitForCompletion': [true] },
	),
];

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const waitForCompletion = this.getNodeParameter('waitForCompletion', 0, false) as boolean;
	// An AI Agent waits for its tool's answer in the same run: a tool polls, never pauses.
	const askedPause =
		waitForCompletion &&
		!isToolMode(this) &&
		this.getNodeParameter('waitMethod', 0, 'poll') === PAUSE_OPTION.value;
	// Every run setting is read, and checked, before anything is quoted or created: a setting
	// found wrong later would fail a video already paid for, naming no task.
	const run = readRunOptions(this);
	const { limits, unreadable } = readSpendLimits(this, items.length);
	const wait = waitForCompletion ? readWaitChoice(this, run) : null;
	const download = readDownloadChoice(this, run, waitForCompletion);
	const client = await connect(this, run);
	// An item whose spend options could not be read fails as its inputs would (Continue On Fail).
	const prepared = (await prepareCreates(this, items.length, client.callbackSecret)).map(
		(entry, itemIndex) => (entry.ok && unreadable.get(itemIndex)) || entry,
	);
	if (askedPause) checkPausable(this, prepared);
	// Judged before the first create: a URL Kirin cannot call gets a warning (or stops the node),
	// and Pause polls instead of waiting for a call that cannot come.
	const warnings = judgeCallbackUrls(this, prepared, client.baseUrl);
	const pollNote = askedPause ? pauseReachNote(this, client.baseUrl) : null;
	const pause = askedPause && pollNote === null;
	// Pause names every item's task in its resume URL, and spend limits price only the videos not
	// made before: either way every item is claimed (looked up) before the first create.
	const claims = pause || limits ? await claimAll(client, prepared, run.concurrency) : null;
	let created: ItemResult[];
	try {
		// Spend limits: every price is asked, and the limits judged, before the first create.
		const gate = await spendGate(this, client, prepared, { limits, claims, concurrency: run.concurrency });
		if (pause && claims) await pointCallbacksHere(this, prepared, claims, gate.estimates);

		// The image is read here, inside the concurrency window, and dropped once its create answers.
		created = await mapWithConcurrency(
			prepared,
			run.concurrency,
			async (entry, itemIndex): Promise<ItemResult> => {
				if (!entry.ok) return failed(this, inputError(this, entry, itemIndex));
				const result = await settle(async () => {
					const { claim, estimatedCost } = gate.admit(itemIndex);
					const request = createRequestFor(this, entry.value);
					return { ...(await createTask(client, request, itemIndex, claim)), estimatedCost };
				});
				return result.ok ? { ok: true, ...result.value } : failed(this, result.error);
			},
		);
	} finally {
		// Claimed IDs whose create was never sent (a spend limit refused it, or the node stopped).
		releaseClaims(claims);
	}

	if (pause && (await canPause(this, client, created, run.concurrency)))
		return await pauseUntilCalledBack(this, created);
	const finished = await waitThenDownload(this, client, created, wait, download);
	// Pause sets every task's callback to its resume URL: nothing of the user's to post to.
	const results = pause ? finished : await resendReusedCallbacks(client, prepared, finished, run.concurrency);
	const output = noteUncheckedModelFields(toOutputItems(this, results, download.binaryProperty), prepared);
	return withReachNotes(output, results, warnings, pollNote);
}
