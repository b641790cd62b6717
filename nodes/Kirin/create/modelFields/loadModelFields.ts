import type { ILoadOptionsFunctions, ResourceMapperFields } from 'n8n-workflow';

import { readCredentials } from '../../../shared/api/credentials';
import { fetchModelSpec, modelSpecUrl } from '../../../shared/api/modelSpec';
import { specFields } from './specFields';

/**
 * Lists the model's fields in the editor (n8n's resource mapper calls this): from the live spec at
 * the credential's Model Spec URL, asked without the API key, kept for the editor session
 * (modelSpec.ts). When the spec cannot be loaded, the mapper shows why, and the way that still works.
 */
export async function getModelFields(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const credentials = await readCredentials(this);
	const url = modelSpecUrl(credentials.modelSpecUrl);
	const result = await fetchModelSpec(async (options) => await this.helpers.httpRequest(options), url);
	if (!result.ok) {
		return {
			fields: [],
			emptyFieldsNotice: `Kirin's model spec could not be loaded: ${result.reason}. Set the model's other parameters in Options → Additional Parameters instead, or check the credential's Model Spec URL.`,
		};
	}
	return { fields: specFields(result.spec.parameters) };
}
