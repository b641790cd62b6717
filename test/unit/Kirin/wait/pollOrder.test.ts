import { likeliestDone, STALE_MS, StatusLearning, type Watch } from '../../../../nodes/Kirin/wait/pollOrder';
import { parseTask } from '../../../../nodes/shared/api/parse';

/** A watch whose task the API last described with `body` (null: not seen yet), due at `dueAt`. */
function watch(ref: string, body: Record<string, unknown> | null, seenAt = 0, dueAt = 0): Watch {
	return {
		target: { ref, itemIndex: 0 },
		latest: body === null ? null : parseTask({ id: ref, ...body }),
		seenAt,
		round: 1,
		dueAt,
		inFlight: false,
	};
}

const created = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();
const processing = (progress: number | null, second: number) => ({
	status: 'processing',
	created_at: created(second),
	...(progress === null ? {} : { progress }),
});

/** The moment of the choices: every watch below was seen within the last minute. */
const NOW = 60_000;

/** The order the due watches would be asked in, one choice at a time. */
function order(due: Watch[], learning = new StatusLearning(), now = NOW): string[] {
	const left = [...due];
	const asked: string[] = [];
	while (left.length > 0) {
		const next = likeliestDone(left, learning, now);
		asked.push(next.target.ref);
		left.splice(left.indexOf(next), 1);
	}
	return asked;
}

describe('likeliestDone before a pace is learned', () => {
	it('asks the task furthest along first, then the oldest, then the one due longest', () => {
		const due = [
			watch('p20-young', processing(20, 9), 0, 100),
			watch('p20-old', processing(20, 1), 0, 300),
			watch('p20-old-due-earlier', processing(20, 1), 0, 200),
			watch('p90', processing(90, 5)),
			watch('p50', processing(50, 0)),
		];
		expect(order(due)).toEqual(['p90', 'p50', 'p20-old-due-earlier', 'p20-old', 'p20-young']);
	});

	it('without progress (Kling), asks by age; a task never seen first, a queued one and an unknown age last', () => {
		const due = [
			watch('queued-oldest', { status: 'queued', created_at: created(0) }),
			watch('age-unknown', { status: 'processing' }),
			watch('young', processing(null, 8)),
			watch('old', processing(null, 2)),
			watch('never-seen', null),
		];
		expect(order(due)).toEqual(['never-seen', 'old', 'young', 'age-unknown', 'queued-oldest']);
	});
});

describe('likeliestDone with a pace learned', () => {
	it('asks first for the task whose estimated end lies furthest back, not the one furthest along', () => {
		const learning = new StatusLearning();
		// One point of progress a second: a task seen at 10 %, then at 20 % ten seconds later.
		const pacer = watch('pacer', processing(10, 0), 0);
		learning.observe(pacer, parseTask({ id: 'pacer', ...processing(20, 0) })!, 10_000);
		expect(learning.rate()).toBeCloseTo(0.001, 9);

		const due = [
			// 70 % seen just now (t = 60 s): ends at about 90 s.
			watch('p70-now', processing(70, 5), 60_000),
			// 60 % seen 30 s ago: ends at about 70 s, so it is asked first.
			watch('p60-stale', processing(60, 9), 30_000),
		];
		expect(order(due, learning)).toEqual(['p60-stale', 'p70-now']);
	});
});

describe('likeliestDone never leaves a task unasked for long', () => {
	it(`asks a task unseen for ${STALE_MS / 60_000} minutes before those that keep winning, the longest unseen first`, () => {
		const later = NOW + STALE_MS + 1_000;
		const due = [
			watch('p90-fresh', processing(90, 5), later - 1_000),
			watch('p10-unseen-long', processing(10, 9), 0),
			watch('p20-unseen-longer', processing(20, 9), -5_000),
		];
		expect(order(due, new StatusLearning(), later)).toEqual([
			'p20-unseen-longer',
			'p10-unseen-long',
			'p90-fresh',
		]);
	});
});
