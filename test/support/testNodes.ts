import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

/** The Kirin node as unit tests hand it to code that only names it in errors. */
export const KIRIN_NODE: INode = {
	id: 'kirin',
	name: 'Kirin',
	type: 'n8n-nodes-kirin.kirin',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** One input item for the workflow under test, optionally carrying a file as binary `data`. */
export interface SeedItem {
	json: Record<string, unknown>;
	file?: { base64: string; fileName: string; mimeType: string };
	/**
	 * A binary `data` whose file is gone from n8n's binary data store (cleaned up, or another
	 * instance's disk): n8n hands out its reference, and reading it fails.
	 */
	missingFile?: { fileName: string; mimeType: string };
	/** More files, each under its own binary field (an end image beside the image, say). */
	files?: Record<string, { base64: string; fileName: string; mimeType: string }>;
}

/**
 * A start node for engine tests: outputs the items in its `items` parameter, turning files into
 * real n8n binary data through prepareBinaryData (what a Read File or HTTP node would do).
 */
export class SeedItems implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Seed Items',
		name: 'seedItems',
		group: ['input'],
		version: 1,
		description: 'Test-only start node',
		defaults: { name: 'Seed Items' },
		// n8n's lint asks every node class to say; nothing here runs it as a tool.
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as string | SeedItem[];
		const seeds = (typeof raw === 'string' ? JSON.parse(raw) : raw) as SeedItem[];
		const items: INodeExecutionData[] = [];
		for (const [index, seed] of seeds.entries()) {
			const item: INodeExecutionData = {
				json: seed.json as INodeExecutionData['json'],
				pairedItem: { item: 0 },
			};
			if (seed.file) {
				const buffer = Buffer.from(seed.file.base64, 'base64');
				item.binary = {
					data: await this.helpers.prepareBinaryData(buffer, seed.file.fileName, seed.file.mimeType),
				};
			}
			if (seed.missingFile) {
				item.binary = {
					data: {
						...seed.missingFile,
						data: 'filesystem-v2',
						id: `filesystem-v2:workflows/gone/executions/gone/binary_data/${index}`,
					},
				};
			}
			for (const [property, file] of Object.entries(seed.files ?? {})) {
				const buffer = Buffer.from(file.base64, 'base64');
				item.binary = {
					...item.binary,
					[property]: await this.helpers.prepareBinaryData(buffer, file.fileName, file.mimeType),
				};
			}
			items[index] = item;
		}
		return [items];
	}
}
