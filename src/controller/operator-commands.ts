// An operator's commands: rollout commands (promote, abort, pause, resume, retry) wait for the
// next pass of their service, which applies them; a rollback pins a service to an earlier
// revision's manifest and an unpin ends that. Refusals are CommandErrors, never HTTP statuses.
import type { ServiceSpec } from '../manifest/service-spec.js';
import type { RolloutCommand } from '../rollout/types.js';
import { commandRejection } from '../rollout/commands.js';
import { CommandError } from './command-error.js';
import { fastTrack, rollbackTarget, type Pin } from './history.js';
import type { LiveState } from './live-state.js';
import type { Recorder } from './recorder.js';
import type { ServiceRecords } from './service-records.js';

/** A rollout command waiting for its service's next pass; `done` settles the operator's request. */
export interface PendingCommand {
  command: RolloutCommand;
  done: (error: Error | null) => void;
}

export interface OperatorDeps {
  live: LiveState;
  records: ServiceRecords;
  recorder: Recorder;
  /** Queues a pass of the service. */
  enqueue: (name: string) => void;
  now: () => number;
}

/** The commands of operators, and the rollout commands waiting for a pass. */
export class OperatorCommands {
  private readonly pending = new Map<string, PendingCommand>();

  constructor(private readonly deps: OperatorDeps) {}

  /** The command waiting for this pass of `name`, if any; the pass must call its `done`. */
  take(name: string): PendingCommand | undefined {
    const pending = this.pending.get(name);
    this.pending.delete(name);
    return pending;
  }

  /** Fails the command waiting for `name` (its pass could not run), so it does not hang until the CLI times out. */
  fail(name: string, error: CommandError): void {
    this.take(name)?.done(error);
  }

  /** Fails every waiting command (DSR is stopping). */
  failAll(error: CommandError): void {
    for (const name of [...this.pending.keys()]) this.fail(name, error);
  }

  /**
   * Applies an operator's command (promote, abort, pause, resume, retry) in the next pass of the
   * service and resolves once that pass ran. Rejects with a CommandError when it cannot apply.
   */
  async command(name: string, command: RolloutCommand): Promise<void> {
    const { live, records } = this.deps;
    if (!live.desired.services.has(name)) throw new CommandError('unknown-service', `no service named ${JSON.stringify(name)} is declared`);
    // `dsr retry` also unblocks actions stopped on a terminal error (the machine ignores a retry
    // without an aborted rollout, so it goes through the same pass either way).
    const unblocked = command.type === 'retry' && live.blocks.clear(name);
    const rejection = unblocked ? null : commandRejection(records.rollout(live.desired.services.get(name)!), command, live.desired.services.get(name)!.strategy);
    if (rejection) throw new CommandError('rejected', command.type === 'retry' ? `nothing to retry: ${rejection}, and no action is blocked` : rejection);
    this.pending.get(name)?.done(new CommandError('rejected', `superseded by ${command.type}`));
    await new Promise<void>((resolve, reject) => {
      this.pending.set(name, { command, done: (error) => (error ? reject(error) : resolve()) });
      this.deps.enqueue(name);
    });
    await this.deps.recorder.record({ kind: `command.${command.type}`, service: name, revision: live.desired.revision, message: `${command.type}${command.type === 'promote' && command.full ? ' --full' : ''} requested by an operator`, data: { command } });
  }

  /**
   * Pins a service to its manifest at an earlier revision (`to`, or the last one that rolled out
   * before what runs now) and rolls it out on the fast track: health-gated, no analysis pauses.
   */
  async rollback(name: string, to: string | null): Promise<Pin> {
    const { live, records, recorder } = this.deps;
    const manifest = this.manifestSpec(name);
    if (!manifest) throw new CommandError('unknown-service', `no service named ${JSON.stringify(name)} is declared`);
    const running = records.pin(name)?.spec ?? manifest;
    const target = rollbackTarget(records.history(name), running, to);
    if (typeof target === 'string') throw new CommandError('rejected', target);
    const pin: Pin = { revision: target.revision, at: new Date(this.deps.now()).toISOString(), spec: target.spec, manifest };
    await records.savePin(name, pin);
    await recorder.record({
      kind: 'rollback.started', service: name, revision: target.revision,
      message: `rollback of ${name} to ${target.revision ?? 'an earlier revision'} (${target.versions.join(', ')}) requested by an operator; fast track: health-gated, no analysis pauses`,
      data: { to: target.revision, versions: target.versions },
    });
    live.desired.services.set(name, fastTrack(pin.spec));
    this.deps.enqueue(name);
    return pin;
  }

  /** Ends a rollback pin: the service goes back to its manifest (a normal rollout). */
  async unpin(name: string): Promise<void> {
    const { live, records, recorder } = this.deps;
    const pin = records.pin(name);
    if (!pin) throw new CommandError('rejected', `${name} is not pinned`);
    await records.dropPin(name);
    await recorder.record({ kind: 'rollback.unpinned', service: name, revision: live.desired.revision, message: `${name} unpinned by an operator: back to its manifest at ${live.desired.revision ?? 'the current revision'}`, data: { pinned: pin.revision, reason: 'operator' } });
    // The manifest as declared: the next load would give the same; this makes it take effect now.
    const manifest = this.manifestSpec(name);
    if (manifest) live.desired.services.set(name, manifest);
    this.deps.enqueue(name);
  }

  /** The service's manifest as declared (before any pin), from the last valid specs saved. */
  private manifestSpec(name: string): ServiceSpec | null {
    const { live, records } = this.deps;
    if (!live.desired.services.has(name)) return null;
    return records.lastValidSpec(name) ?? live.desired.services.get(name) ?? null;
  }
}
