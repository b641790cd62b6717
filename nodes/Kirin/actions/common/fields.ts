import type { INodeProperties } from 'n8n-workflow';

import { PAUSE_OPTION } from '../../pause/pauseFields';
import { DEFAULT_STATUS_REQUESTS_PER_SECOND } from '../../wait/pollTasks';
import { MAX_TIMER_MINUTES } from './options';

/**
 * Parameters shared by several operations. Each builder takes the operations (and extra
 * conditions) it shows for, so one definition serves Create-with-wait and Wait alike.
 */

/** The `displayOptions.show` of a field: which operations (and other values) it shows for. */
export type Show = NonNullable<NonNullable<INodeProperties['displayOptions']>['show']>;

function shownFor(show: Show): INodeProperties['displayOptions'] {
	return { show };
}

export function waitFields(show: Show): INodeProperties[] {
	return [
		{
			displayName: 'Time Limit (Minutes)',
			name: 'timeLimitMinutes',
			type: 'number',
			typeOptions: { minValue: 0.01, maxValue: MAX_TIMER_MINUTES, numberPrecision: 2 },
			default: 20,
			description: 'How long to wait for the video before giving up (at most 35,791 minutes, about 24 days)',
			displayOptions: shownFor(show),
		},
		{
			displayName: 'On Time-Out',
			name: 'onTimeout',
			type: 'options',
			options: [
				{
					name: 'Stop With an Error',
					value: 'error',
					description: 'The item fails; with "Continue On Fail" it carries the error',
				},
				{
					name: 'Return the Task As It Stands',
					value: 'output',
					description:
						'Output the task with its current status, so a later Get Status or Wait can pick it up',
				},
			],
			default: 'error',
			// A paused execution is resumed by n8n when the limit passes; the node does not run then.
			displayOptions: { show, hide: { waitMethod: [PAUSE_OPTION.value] } },
		},
		...downloadFields(show, true),
	];
}

export function downloadFields(show: Show, downloadByDefault: boolean): INodeProperties[] {
	const download: INodeProperties = {
		displayName: 'Download Video',
		name: 'download',
		type: 'boolean',
		default: false,
		description:
			'Whether to attach the finished video to the item as binary data (MP4), ready for nodes such as YouTube, S3 or Slack',
		displayOptions: shownFor(show),
	};
	return [
		downloadByDefault ? { ...download, default: true } : download,
		{
			displayName: 'Put Output File in Field',
			name: 'binaryPropertyOutput',
			type: 'string',
			default: 'data',
			hint: 'The name of the output binary field to put the video in',
			displayOptions: shownFor({ ...show, download: [true] }),
		},
	];
}

const POLL_OPTIONS: INodeProperties[] = [
	{
		displayName: 'First Poll After (Seconds)',
		name: 'pollFirstSeconds',
		type: 'number',
		typeOptions: { minValue: 0.1, numberPrecision: 1 },
		default: 3,
		description:
			'Seconds before the first status check; later checks come 1.5 times further apart, up to the maximum below',
	},
	{
		displayName: 'Max Poll Interval (Seconds)',
		name: 'pollMaxSeconds',
		type: 'number',
		typeOptions: { minValue: 0.1, numberPrecision: 1 },
		default: 10,
		description: 'The longest pause between two status checks',
	},
	{
		displayName: 'Max Status Checks per Second',
		name: 'maxStatusRequestsPerSecond',
		type: 'number',
		typeOptions: { minValue: 0.1, numberPrecision: 1 },
		default: DEFAULT_STATUS_REQUESTS_PER_SECOND,
		description:
			'How often, at most, the node asks Kirin about its tasks while it waits, for all items together. Spread evenly; when more are due, the tasks most likely done are asked first.',
	},
];

const REQUEST_OPTIONS: INodeProperties[] = [
	{
		displayName: 'Max Concurrent Requests',
		name: 'concurrency',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 10,
		description: 'How many items talk to Kirin at the same time',
	},
	{
		displayName: 'Request Timeout (Seconds)',
		name: 'requestTimeoutSeconds',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 60,
		description: 'How long one request to Kirin may take before it counts as failed and is retried',
	},
];

/**
 * The Options collection. An option is offered only where it acts: `polling` is false for an
 * operation that never polls, or the condition (on the node's top-level fields, `/name`) under
 * which it polls, e.g. Create only with Wait for Completion.
 */
export function optionsField(
	show: Show,
	extra: INodeProperties[] = [],
	polling: boolean | Show = true,
): INodeProperties {
	const pollOptions =
		polling === false
			? []
			: polling === true
				? POLL_OPTIONS
				: POLL_OPTIONS.map((option) => ({ ...option, displayOptions: shownFor(polling) }));
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: shownFor(show),
		options: [...extra, ...pollOptions, ...REQUEST_OPTIONS],
	};
}
