import type { IHookFunctions, INodeType } from 'n8n-workflow';

/**
 * Webhook lifecycle for URLs that Kirin is given per task (a Kirin Trigger's production URL,
 * a paused execution's resume URL): there is nothing to register with Kirin or to remove.
 */
export const NOTHING_TO_REGISTER: NonNullable<INodeType['webhookMethods']> = {
	default: {
		async checkExists(this: IHookFunctions): Promise<boolean> {
			return true;
		},
		async create(this: IHookFunctions): Promise<boolean> {
			return true;
		},
		async delete(this: IHookFunctions): Promise<boolean> {
			return true;
		},
	},
};
