import type { TaskStatus } from '../../shared/api/status';

export const ANY_STATUS = '*';

export type EventChoice = TaskStatus | typeof ANY_STATUS;

export function wantsStatus(events: readonly EventChoice[], status: TaskStatus): boolean {
	return events.includes(ANY_STATUS) || events.includes(status);
}
