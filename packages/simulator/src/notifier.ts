import type { DeliveredMessage, PolicyName } from './messages.js';
import type { World } from './world.js';

/** A reminder policy under test: it watches the world and delivers messages when its clock says so. */
export interface Notifier {
  readonly policy: PolicyName;
  /** Called once before any event is recorded. */
  attach(world: World): Promise<void>;
  /** Makes the world's pending events visible to the policy at `now` (the engine ingests them). */
  flush(now: number): Promise<void>;
  /** Runs the policy at `now` (every 15 simulated minutes) and returns the messages it delivered. */
  tick(now: number): Promise<DeliveredMessage[]>;
  /** Releases resources (the engine's database). */
  close(): Promise<void>;
}
