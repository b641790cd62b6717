import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { Show } from '../actions/common/fields';
import { MAX_PAUSED_ITEMS } from './pauseExecution';

/** Pause as a choice of Create's Wait Method. */
export const PAUSE_OPTION: INodePropertyOptions = {
	name: 'Pause Until Kirin Calls Back',
	value: 'pause',
	description: `Store the execution and free the worker; Kirin's callback resumes it when every video is done. Needs an n8n that Kirin can reach. Up to ${MAX_PAUSED_ITEMS} items.`,
};

/** What a user must know when choosing Pause: shown under the Wait Method. */
export function pauseNotice(show: Show): INodeProperties {
	return {
		displayName:
			'On time-out a paused node passes its input items on unchanged. Set Options → External Task ID (for example to a product ID) so a following Get Status by External Task ID can pick the task up.',
		name: 'pauseNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { ...show, waitMethod: [PAUSE_OPTION.value] } },
	};
}
