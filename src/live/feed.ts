// One process's view of the change log as it grows: LISTEN change_log
// tells it a transaction committed; it then reads the log once after the
// last sequence it read and hands each change to the subscribers that may
// see it. The log is the source of truth: a notification only says "read
// now", so a lost one (or a lost LISTEN connection) delays, never loses, a
// change; a slow poll reads anyway. A subscriber that resumes after an
// older sequence reads its backlog from the log itself, then goes live.
import type { Logger } from 'pino';
import type { Database } from '../store/db.js';
import { keepListening, type Listening } from '../store/keepListening.js';
import { latestSequence, oldestSequence, readChanges, selects, asSeenBy, type ChangeFilter, type LoggedChange } from '../services/changes/read.js';
import { EventQueue } from './queue.js';

export const CHANNEL = 'change_log';
const PAGE = 500;
const POLL_MS = 2000;

export interface FeedSubscription {
  viewerProject: string | null;
  filter: ChangeFilter | null;
  /** The last sequence the subscriber has; null: from now on. */
  resumeAfter: number | null;
  maxBufferedBytes: number;
  /** Called once when the subscriber falls too far behind. */
  onSlow(): void;
}

export class ResumeTooOld extends Error {}

/** A change as one viewer sees it, with its size for the subscribers' byte budgets. */
interface View {
  seen: LoggedChange;
  bytes: number;
}

interface Subscriber {
  sub: FeedSubscription;
  queue: EventQueue<LoggedChange>;
  /** While it reads its backlog: what the feed read meanwhile, delivered after. */
  held: View[] | null;
  /** The last sequence handed over. */
  cursor: number;
}

export class ChangeFeed {
  private head = 0;
  private readonly subscribers = new Set<Subscriber>();
  private reading: Promise<void> | null = null;
  private again = false;
  private listening: Listening | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Tells those who watch every change (path verdicts, webhooks) what was read, in order. */
  private readonly watchers = new Set<(changes: LoggedChange[]) => void>();

  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    this.head = await latestSequence(this.db.prisma);
    // Each time the LISTEN is (re)established: whatever committed while nobody listened.
    this.listening = await keepListening(this.db, CHANNEL, { onMessage: () => this.wake(), onListening: () => this.wake() }, this.logger, 'change feed');
    this.timer = setInterval(() => this.wake(), POLL_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.listening?.stop();
    for (const s of this.subscribers) s.queue.end();
    await this.reading;
  }

  get size(): number {
    return this.subscribers.size;
  }

  /** Called with every batch of changes the feed reads, unfiltered (admin's view). */
  watch(fn: (changes: LoggedChange[]) => void): () => void {
    this.watchers.add(fn);
    return () => this.watchers.delete(fn);
  }

  /** The changes `sub` may see, in sequence order, from resumeAfter (or now) on. */
  async subscribe(sub: FeedSubscription): Promise<EventQueue<LoggedChange>> {
    const subscriber: Subscriber = {
      sub,
      queue: null as unknown as EventQueue<LoggedChange>,
      held: sub.resumeAfter === null ? null : [],
      cursor: sub.resumeAfter ?? this.head,
    };
    subscriber.queue = new EventQueue<LoggedChange>(sub.maxBufferedBytes, sub.onSlow, () => this.subscribers.delete(subscriber));
    if (sub.resumeAfter !== null) {
      const oldest = await oldestSequence(this.db.prisma);
      if (oldest !== null && sub.resumeAfter + 1 < oldest) {
        throw new ResumeTooOld(`resumeAfter ${sub.resumeAfter} is older than the change log keeps (its oldest sequence is ${oldest}); read Query.changes or resubscribe without resumeAfter`);
      }
    }
    // Registered before the backlog is read: whatever commits from now on reaches it through the feed.
    this.subscribers.add(subscriber);
    if (sub.resumeAfter !== null) void this.catchUp(subscriber);
    return subscriber.queue;
  }

  private async catchUp(subscriber: Subscriber): Promise<void> {
    try {
      for (;;) {
        const page = await readChanges(this.db.prisma, {
          viewerProject: subscriber.sub.viewerProject,
          filter: subscriber.sub.filter,
          afterSequence: subscriber.cursor,
          direction: 'asc',
          take: PAGE,
        });
        // Read as the subscriber's viewer sees it already.
        for (const change of page) {
          if (selects(change, subscriber.sub.viewerProject, subscriber.sub.filter)) this.deliver(subscriber, change, approximateBytes(change));
        }
        if (page.length < PAGE) break;
      }
      const held = subscriber.held ?? [];
      subscriber.held = null;
      for (const { seen, bytes } of held) this.deliver(subscriber, seen, bytes);
    } catch (err) {
      this.logger.warn({ err }, 'change feed: a subscriber could not read its backlog');
      subscriber.queue.end();
    }
  }

  /** Hands `seen` (the change as the subscriber's viewer sees it, of about `bytes`) to `subscriber`. */
  private deliver(subscriber: Subscriber, seen: LoggedChange, bytes: number): void {
    if (seen.sequence <= subscriber.cursor) return;
    subscriber.cursor = seen.sequence;
    subscriber.queue.push(seen, bytes);
  }

  /** Reads what committed since the last read; coalesces wake-ups that come while it reads. */
  wake(): void {
    if (this.stopped) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = this.readNew()
      .catch((err) => this.logger.warn({ err }, 'change feed: reading the log failed; retried at the next notification or poll'))
      .finally(() => {
        this.reading = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async readNew(): Promise<void> {
    for (;;) {
      const page = await readChanges(this.db.prisma, { viewerProject: null, afterSequence: this.head, direction: 'asc', take: PAGE });
      if (page.length === 0) return;
      this.head = page.at(-1)!.sequence;
      // Each change as each viewer sees it, made once for all of that viewer's subscribers:
      // they get the same object, which lets the WebSocket side execute their selection once.
      const views = page.map(() => new Map<string | null, View>());
      for (const subscriber of this.subscribers) {
        const viewer = subscriber.sub.viewerProject;
        page.forEach((change, i) => {
          if (!selects(change, viewer, subscriber.sub.filter)) return;
          let view = views[i].get(viewer);
          if (!view) {
            const seen = asSeenBy(change, viewer);
            views[i].set(viewer, (view = { seen, bytes: approximateBytes(seen) }));
          }
          if (subscriber.held) subscriber.held.push(view);
          else this.deliver(subscriber, view.seen, view.bytes);
        });
      }
      for (const watcher of this.watchers) watcher(page);
      if (page.length < PAGE) return;
    }
  }
}

const approximateBytes = (change: LoggedChange) => 256 + JSON.stringify(change.before ?? null).length + JSON.stringify(change.after ?? null).length;
