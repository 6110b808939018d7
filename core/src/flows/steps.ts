import type { Tx } from '../db/connect.ts';
import { enqueue, inOneTransaction, type OutboxContext, type OutboxHandler } from '../db/outbox.ts';

/**
 * Flows are named steps with an undo (after Medusa's workflows, much smaller). A step does its work
 * in the caller's transaction and says what its undo needs; the run and the step are recorded in
 * that same transaction, so the record can never disagree with what happened. Undoing a subject
 * (an order, a shipment) walks its done steps newest first: an undo that stays in Postgres runs in
 * the caller's transaction; one that calls another system (`external`) is handed to the outbox,
 * which runs it later, retries it, and turns it into a stall when it keeps failing.
 */
export interface Step<I, O, U> {
  /** Stable name, stored in `flow_steps.step`: renaming one orphans the undos already recorded. */
  readonly id: string;
  /** `undo: null`: nothing of this run needs undoing (e.g. nothing was reserved), and nothing is recorded. */
  run(tx: Tx, input: I): Promise<{ output: O; undo: U | null }>;
  /** `why` is the reason the subject is being undone (a cancellation's reason), for the records it writes. */
  undo(tx: Tx, tenantId: string, input: U, why: string, ctx: OutboxContext): Promise<unknown>;
  /** The undo calls a system outside Postgres, so it never runs inside the caller's transaction. */
  readonly external?: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds steps of every input and output type
const registry = new Map<string, Step<any, any, any>>();

export function defineStep<I, O, U>(step: Step<I, O, U>): Step<I, O, U> {
  if (registry.has(step.id)) throw new Error(`step ${step.id} is defined twice`);
  registry.set(step.id, step);
  return step;
}

export interface Subject {
  type: string;
  id: string;
}

export interface FlowRun {
  tenantId: string;
  /** Null until the run's first step with an undo is recorded (a run that leaves nothing to undo writes nothing). */
  id: string | null;
  flow: string;
  subject: Subject;
  seq: number;
}

export function startFlow(tenantId: string, flow: string, subject: Subject): FlowRun {
  return { tenantId, id: null, flow, subject, seq: 0 };
}

/** Runs one step of a run and records it with its undo input, in the caller's transaction (one statement). */
export async function runStep<I, O, U>(tx: Tx, run: FlowRun, step: Step<I, O, U>, input: I): Promise<O> {
  const { output, undo } = await step.run(tx, input);
  if (undo === null) return output;
  run.seq += 1;
  const undoJson = tx.json(undo as never);
  if (run.id === null) {
    const [row] = await tx<{ id: string }[]>`
      with r as (
        insert into flow_runs (tenant_id, flow, subject_type, subject_id, status)
        values (${run.tenantId}, ${run.flow}, ${run.subject.type}, ${run.subject.id}, 'done') returning id)
      insert into flow_steps (tenant_id, run_id, seq, step, status, undo_input)
      select ${run.tenantId}, r.id, ${run.seq}, ${step.id}, 'done', ${undoJson} from r
      returning run_id::text as id`;
    run.id = row!.id;
  } else {
    await tx`insert into flow_steps (tenant_id, run_id, seq, step, status, undo_input)
      values (${run.tenantId}, ${run.id}, ${run.seq}, ${step.id}, 'done', ${undoJson})`;
  }
  return output;
}

/**
 * Undoes every done step of the subject's runs (of one flow, if given), newest first. Returns the
 * names of the steps undone here and of those handed to the outbox.
 */
export async function undoSubject(
  tx: Tx,
  tenantId: string,
  subject: Subject,
  why: string,
  opts: { flow?: string; ctx?: OutboxContext } = {},
): Promise<{ undone: Array<{ step: string; result: unknown }>; queued: string[] }> {
  const steps = await tx<{ runId: string; seq: number; step: string; undoInput: unknown }[]>`
    select s.run_id::text as "runId", s.seq, s.step, s.undo_input as "undoInput"
    from flow_runs r join flow_steps s on s.tenant_id = r.tenant_id and s.run_id = r.id
    where r.tenant_id = ${tenantId} and r.subject_type = ${subject.type} and r.subject_id = ${subject.id}
      and (${opts.flow ?? null}::text is null or r.flow = ${opts.flow ?? null})
      and s.status = 'done' and s.undo_input is not null
    order by r.id desc, s.seq desc
    for update of s`;
  const result = { undone: [] as Array<{ step: string; result: unknown }>, queued: [] as string[] };
  for (const s of steps) {
    const step = registry.get(s.step);
    if (!step) throw new Error(`no step named ${s.step} is defined (run ${s.runId}); it cannot be undone`);
    if (step.external) {
      await tx`update flow_steps set status = 'undoing' where tenant_id = ${tenantId} and run_id = ${s.runId} and seq = ${s.seq}`;
      await enqueue(tx, tenantId, 'flow.undo_step', { runId: s.runId, seq: s.seq, why }, `flow.undo_step:${s.runId}:${s.seq}`);
      result.queued.push(s.step);
    } else {
      const r = await step.undo(tx, tenantId, s.undoInput, why, opts.ctx ?? LOCAL_ONLY);
      await markUndone(tx, tenantId, s.runId, s.seq);
      result.undone.push({ step: s.step, result: r });
    }
  }
  await settleRuns(tx, tenantId, [...new Set(steps.map((s) => s.runId))]);
  return result;
}

/** A run is undone once every step of it that had an undo is undone; until then it is undoing. */
async function settleRuns(tx: Tx, tenantId: string, runIds: string[]): Promise<void> {
  if (runIds.length === 0) return;
  await tx`update flow_runs r set updated_at = now(),
      status = case when exists (select 1 from flow_steps s where s.tenant_id = r.tenant_id and s.run_id = r.id
                                         and s.status <> 'undone' and s.undo_input is not null)
                    then 'undoing' else 'undone' end
    where r.tenant_id = ${tenantId} and r.id = any(${runIds}::bigint[])`;
}

/** Local undos need nothing from outside; an external one always runs in the worker with its context. */
const LOCAL_ONLY: OutboxContext = {
  get box(): never {
    throw new Error('a local undo asked for the secret box; mark its step external');
  },
  now: () => new Date(),
};

async function markUndone(tx: Tx, tenantId: string, runId: string, seq: number): Promise<void> {
  await tx`update flow_steps set status = 'undone', undone_at = now() where tenant_id = ${tenantId} and run_id = ${runId} and seq = ${seq}`;
}

/** The worker's side of external undos: one recorded step, undone at most once (a redelivery finds it undone). */
export const flowOutboxHandlers: Record<string, OutboxHandler> = {
  // The undo runs in the transaction that marks it undone (the step row is locked: it runs once). No
  // step's undo calls out yet; the first that does (the AWB's cancel) must take the Db and open its own.
  'flow.undo_step': inOneTransaction(async (tx, item, ctx) => {
    const runId = String(item.payload.runId);
    const seq = Number(item.payload.seq);
    const [s] = await tx<{ step: string; status: string; undoInput: unknown }[]>`
      select step, status, undo_input as "undoInput" from flow_steps
      where tenant_id = ${item.tenantId} and run_id = ${runId} and seq = ${seq} for update`;
    if (!s || s.status === 'undone') return;
    const step = registry.get(s.step);
    if (!step) throw new Error(`no step named ${s.step} is defined; it cannot be undone`);
    await step.undo(tx, item.tenantId, s.undoInput, String(item.payload.why ?? ''), ctx);
    await markUndone(tx, item.tenantId, runId, seq);
    await settleRuns(tx, item.tenantId, [runId]);
  }),
};
