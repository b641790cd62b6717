import type { IDataObject } from 'n8n-workflow';

import type { KirinTask } from './api/types';

/** A task as an output item's JSON: the same flat shape from every node and operation. */
export function taskJson(task: KirinTask): IDataObject {
	return { ...task, videos: task.videos.map((video) => ({ ...video })) };
}
