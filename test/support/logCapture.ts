import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { LoggerProxy } from 'n8n-workflow';

/**
 * Everything n8n and our nodes log while a test runs, as text, so a test can prove the API key
 * never reaches a log line. Nodes log through `this.logger` (n8n-core's DI Logger); the engine
 * through n8n-workflow's LoggerProxy. Both are pointed here.
 */
export class LogCapture {
	readonly lines: string[] = [];

	private record(level: string) {
		return (message: string, meta?: object) => {
			this.lines.push(`${level} ${message} ${meta ? JSON.stringify(meta) : ''}`);
		};
	}

	readonly logger = {
		error: this.record('error'),
		warn: this.record('warn'),
		info: this.record('info'),
		debug: this.record('debug'),
		scoped: () => this.logger,
	};

	install(): this {
		Container.set(Logger, this.logger as unknown as Logger);
		LoggerProxy.init(this.logger as unknown as Parameters<typeof LoggerProxy.init>[0]);
		return this;
	}

	text(): string {
		return this.lines.join('\n');
	}
}
