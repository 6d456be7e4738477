import { isRecord } from "../json";
import {
  anyMarked,
  AttributeChange,
  diffAttributes,
  KNOWN_AFTER_APPLY,
  replacePathString,
  SENSITIVE_VALUE,
  sensitiveStrings,
  ShownValue,
} from "./attribute-diff";

/**
 * What a reviewer needs from `tofu|terraform show -json <saved plan>`, and nothing else (pure).
 *
 * The saved plan and its JSON hold sensitive values in clear text (the Okta client secret, in `before`, in
 * `prior_state`, in `output_changes`). The summary keeps only what is safe to post: sensitive values become
 * "(sensitive)", and `variables`, `configuration` and `prior_state` are never read into it.
 */

export type ResourceAction = "create" | "update" | "delete" | "replace" | "no-op" | "read" | "forget" | (string & {});

export interface ResourceChangeSummary {
  readonly address: string;
  readonly type: string;
  readonly mode: "managed" | "data";
  readonly action: ResourceAction;
  /** The engine's own list: `["delete", "create"]` is a replacement that destroys first. */
  readonly actions: readonly string[];
  /** The engine's `action_reason`, e.g. `replace_by_request` (`-replace`), `replace_because_cannot_update`. */
  readonly reason?: string;
  /** `moved` from this address. */
  readonly movedFrom?: string;
  /** An import block brings this existing object under management (its import id, e.g. the Okta app id). */
  readonly importing?: string;
  /** Changed attributes; empty for deletes (everything goes) and no-ops. */
  readonly attributes: readonly AttributeChange[];
  /** The object's own name, as Okta shows it: the app's `label`, otherwise `name` (never a sensitive value). */
  readonly name?: string;
  /**
   * Top-level attributes the configuration sets (the plan's `configuration` expressions), sorted; the rest of a new
   * object's values are provider defaults or computed. Absent when the plan has no configuration for it.
   */
  readonly configured?: readonly string[];
}

export interface OutputChangeSummary {
  readonly name: string;
  readonly action: ResourceAction;
  readonly before?: ShownValue;
  readonly after?: ShownValue;
}

/** The Qlik step's settings as the plan carries them in the `terraform_data` input (non-secret by design). */
export interface IdpSettingsInPlan {
  readonly tenantHostname?: string;
  readonly verification?: string;
  readonly activate?: boolean;
  readonly allowActiveIdpChange?: boolean;
  readonly onDestroy?: string;
  /** The IdP's description in the Qlik console (without the managed-by marker). */
  readonly description?: string;
}

export interface IdpStepChange {
  /** The `terraform_data` that runs `qlik-okta idp apply`. */
  readonly address: string;
  readonly action: ResourceAction;
  readonly before?: IdpSettingsInPlan;
  readonly after?: IdpSettingsInPlan;
}

export interface ChangeCounts {
  /** Existing objects an import block brings into the state (counted besides their update, if any). */
  readonly import: number;
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
}

export interface PlanSummary {
  readonly formatVersion: 1;
  /** `terraform_version` of the engine that made the plan (OpenTofu reports its own version there). */
  readonly engineVersion?: string;
  /** A `plan -destroy`. */
  readonly destroy: boolean;
  /** The engine reported an errored plan. */
  readonly errored: boolean;
  /** Every managed resource, counted as the engine's "Plan:" line counts (a replacement is 1 add + 1 destroy). */
  readonly totals: ChangeCounts;
  /** Resource changes other than no-op (reads of data sources included). */
  readonly changes: readonly ResourceChangeSummary[];
  /** Resources with no change. */
  readonly unchanged: number;
  readonly outputs: readonly OutputChangeSummary[];
  /** Objects changed outside Terraform since the last apply (only real differences). */
  readonly drift: readonly ResourceChangeSummary[];
  /** The Qlik step's resource, when the plan touches it (or it exists). */
  readonly identityProvider?: IdpStepChange;
  /** Authorization-server rules this plan creates or changes, or whose policy it creates or changes. */
  readonly authServerRules?: readonly AuthServerRuleInPlan[];
  /** The Okta groups the stack looks up (`okta_everyone_group`, `okta_group`). */
  readonly oktaGroups?: readonly OktaGroupInPlan[];
}

/** The parts of `show -json` this module reads. */
export interface PlanJson {
  readonly format_version?: string;
  readonly terraform_version?: string;
  readonly errored?: boolean;
  readonly resource_changes?: readonly RawResourceChange[];
  readonly resource_drift?: readonly RawResourceChange[];
  readonly output_changes?: Readonly<Record<string, RawChange>>;
  readonly planned_values?: { readonly root_module?: { readonly resources?: readonly unknown[]; readonly child_modules?: readonly unknown[] } };
  readonly prior_state?: { readonly values?: { readonly root_module?: RawStateModule; readonly outputs?: Readonly<Record<string, { value?: unknown; sensitive?: boolean }>> } };
  readonly variables?: Readonly<Record<string, { readonly value?: unknown }>>;
  readonly configuration?: { readonly root_module?: RawConfigModule };
}

/** The parts of a plan's `configuration` module this module reads. */
export interface RawConfigModule {
  readonly variables?: Readonly<Record<string, { readonly sensitive?: boolean }>>;
  readonly resources?: readonly { readonly address?: string; readonly mode?: string; readonly expressions?: Readonly<Record<string, unknown>> }[];
  readonly module_calls?: Readonly<Record<string, { readonly module?: RawConfigModule }>>;
}

export interface RawChange {
  readonly actions: readonly string[];
  readonly before?: unknown;
  readonly after?: unknown;
  readonly after_unknown?: unknown;
  readonly before_sensitive?: unknown;
  readonly after_sensitive?: unknown;
  readonly replace_paths?: readonly (readonly (string | number)[])[];
  /** Terraform ≥ 1.5 / OpenTofu ≥ 1.5: the change imports an existing object. */
  readonly importing?: { readonly id?: string };
}

export interface RawResourceChange {
  readonly address: string;
  readonly mode: string;
  readonly type: string;
  readonly name?: string;
  readonly previous_address?: string;
  readonly action_reason?: string;
  readonly change: RawChange;
}

interface RawStateModule {
  readonly resources?: readonly { readonly address?: string; readonly mode?: string; readonly type?: string; readonly values?: unknown; readonly sensitive_values?: unknown }[];
  readonly child_modules?: readonly RawStateModule[];
}

export interface SummarizeOptions {
  /**
   * The plan was made with `-destroy`. The JSON has no flag for it, so without this the summary infers it: only
   * deletes, and nothing left in the planned state.
   */
  readonly destroy?: boolean;
}

/** One word for the engine's action list. */
export function actionOf(actions: readonly string[]): ResourceAction {
  const key = actions.join("+");
  if (key === "delete+create" || key === "create+delete") return "replace";
  if (actions.length === 1) return actions[0];
  return key;
}

/** The Qlik step's `terraform_data` echoes `input` to `output`; its `id` is a random UUID. Neither tells a reviewer anything. */
const TERRAFORM_DATA_ECHOES = ["id", "output"];

export function summarizeResourceChange(rc: RawResourceChange, configured?: readonly string[]): ResourceChangeSummary {
  const action = actionOf(rc.change.actions);
  const name = objectName(rc);
  const base = {
    address: rc.address,
    type: rc.type,
    mode: rc.mode === "data" ? ("data" as const) : ("managed" as const),
    action,
    actions: [...rc.change.actions],
    ...(rc.action_reason ? { reason: rc.action_reason } : {}),
    ...(rc.previous_address && rc.previous_address !== rc.address ? { movedFrom: rc.previous_address } : {}),
    ...(rc.change.importing ? { importing: rc.change.importing.id ?? "" } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(configured ? { configured } : {}),
  };
  if (action === "delete" || action === "no-op" || action === "forget") return { ...base, attributes: [] };
  const isData = rc.type === "terraform_data";
  let rows = diffAttributes(rc.change, isData ? TERRAFORM_DATA_ECHOES : []);
  const replacePaths = (rc.change.replace_paths ?? []).map(replacePathString);
  const forces = (path: string) => replacePaths.some((p) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`));
  if (isData) rows = foldTriggers(rows, forces);
  rows = rows.map((r) => (forces(r.path) && !r.forcesReplacement ? { ...r, forcesReplacement: true } : r));
  return { ...base, attributes: rows };
}

/** The app's `label`, or the object's `name`, from after the change (before, for a delete); never a sensitive one. */
function objectName(rc: RawResourceChange): string | undefined {
  const key = rc.type === "okta_app_oauth" ? "label" : "name";
  const after = isRecord(rc.change.after) ? rc.change.after : undefined;
  const before = isRecord(rc.change.before) ? rc.change.before : undefined;
  const pick = (v: Record<string, unknown> | undefined, marker: unknown): string | undefined =>
    typeof v?.[key] === "string" && v[key] !== "" && !anyMarked(isRecord(marker) ? marker[key] : marker) ? (v[key] as string) : undefined;
  return pick(after, rc.change.after_sensitive) ?? pick(before, rc.change.before_sensitive);
}

/** Resource address → the top-level attributes its configuration sets (instance keys dropped: one block, many instances). */
function configuredAttributes(module: RawConfigModule | undefined, prefix = "", into = new Map<string, string[]>()): Map<string, string[]> {
  for (const r of module?.resources ?? []) {
    if (r.address && r.mode !== "data") into.set(`${prefix}${r.address}`, Object.keys(r.expressions ?? {}).sort());
  }
  for (const [name, call] of Object.entries(module?.module_calls ?? {})) configuredAttributes(call.module, `${prefix}module.${name}.`, into);
  return into;
}

/** `module.a["x"].okta_group.g[0]` → `module.a.okta_group.g`: the configuration's address of an instance. */
export function configAddress(address: string): string {
  return address.replace(/\[(?:"(?:[^"\\]|\\.)*"|\d+)\]/g, "");
}

/**
 * The Qlik step's `triggers_replace.request` repeats `input` (so that any change re-runs the provisioner): show a
 * changed field once, as `input.…`, marked as forcing replacement; keep the rows that only the triggers have (the
 * client secret's hash).
 */
function foldTriggers(rows: readonly AttributeChange[], forces: (path: string) => boolean): AttributeChange[] {
  const TRIGGER = "triggers_replace.request.";
  const byPath = new Map(rows.map((r) => [r.path, r]));
  const folded = new Set<string>();
  const forcedInputs = new Set<string>();
  for (const r of rows) {
    if (!r.path.startsWith(TRIGGER)) continue;
    const twinPath = `input.${r.path.slice(TRIGGER.length)}`;
    const twin = byPath.get(twinPath);
    if (!twin || JSON.stringify([twin.before, twin.after]) !== JSON.stringify([r.before, r.after])) continue;
    folded.add(r.path);
    if (forces(r.path)) forcedInputs.add(twinPath);
  }
  return rows.filter((r) => !folded.has(r.path)).map((r) => (forcedInputs.has(r.path) ? { ...r, forcesReplacement: true } : r));
}

export function countChanges(changes: readonly Pick<ResourceChangeSummary, "action" | "mode" | "importing">[]): ChangeCounts {
  let imports = 0;
  let add = 0;
  let change = 0;
  let destroy = 0;
  for (const c of changes) {
    if (c.mode !== "managed") continue;
    if (c.importing !== undefined) imports++;
    if (c.action === "create") add++;
    else if (c.action === "update") change++;
    else if (c.action === "delete") destroy++;
    else if (c.action === "replace") {
      add++;
      destroy++;
    }
  }
  return { import: imports, add, change, destroy };
}

function idpSettings(value: unknown): IdpSettingsInPlan | undefined {
  if (!isRecord(value)) return undefined;
  const input = value.input;
  if (!isRecord(input) || !isRecord(input.identityProvider)) return undefined;
  const idp = input.identityProvider;
  const pick = <T>(v: unknown, type: "string" | "boolean"): T | undefined => (typeof v === type ? (v as T) : undefined);
  const description = pick<string>(idp.description, "string");
  return {
    tenantHostname: pick<string>(input.tenantHostname, "string"),
    verification: pick<string>(idp.verification, "string"),
    activate: pick<boolean>(idp.activate, "boolean"),
    allowActiveIdpChange: pick<boolean>(idp.allowActiveIdpChange, "boolean"),
    onDestroy: pick<string>(idp.onDestroy, "string"),
    ...(description !== undefined ? { description } : {}),
  };
}

/** The `terraform_data` that runs the Qlik step: it has `triggers_replace` and the IdP settings in `input`. */
function idpStep(changes: readonly RawResourceChange[]): IdpStepChange | undefined {
  const candidates = changes.filter((rc) => rc.type === "terraform_data" && (idpSettings(rc.change.after) ?? idpSettings(rc.change.before)));
  const hasTriggers = (c: RawResourceChange): boolean => {
    const value = c.change.after ?? c.change.before;
    return isRecord(value) && value.triggers_replace !== undefined;
  };
  const rc = candidates.find(hasTriggers) ?? candidates[0];
  if (!rc) return undefined;
  const before = idpSettings(rc.change.before);
  const after = idpSettings(rc.change.after);
  return { address: rc.address, action: actionOf(rc.change.actions), ...(before ? { before } : {}), ...(after ? { after } : {}) };
}

function outputChange(name: string, c: RawChange): OutputChangeSummary {
  const side = (v: unknown, sensitive: unknown): ShownValue | undefined =>
    v === undefined || v === null ? undefined : sensitive === true ? SENSITIVE_VALUE : { value: v };
  const after = c.after_unknown === true ? KNOWN_AFTER_APPLY : side(c.after, c.after_sensitive);
  const before = side(c.before, c.before_sensitive);
  return { name, action: actionOf(c.actions), ...(before ? { before } : {}), ...(after ? { after } : {}) };
}

function looksLikeDestroy(plan: PlanJson, changes: readonly ResourceChangeSummary[]): boolean {
  const managed = changes.filter((c) => c.mode === "managed");
  const planned = plan.planned_values?.root_module;
  const nothingLeft = (planned?.resources ?? []).length === 0 && (planned?.child_modules ?? []).length === 0;
  return managed.length > 0 && managed.every((c) => c.action === "delete") && nothingLeft;
}

/**
 * An authorization-server access rule as the plan leaves it, with the clients its policy admits: who can get which
 * tokens. Only rules whose rule or policy this plan creates or changes.
 */
export interface AuthServerRuleInPlan {
  readonly address: string;
  /** The rule's action; the policy's when only the policy changes. */
  readonly action: ResourceAction;
  readonly name?: string;
  readonly grantTypes?: readonly string[];
  readonly scopes?: readonly string[];
  readonly groups?: readonly string[];
  readonly users?: readonly string[];
  /** The policy the rule belongs to, when the plan links them. */
  readonly policyAddress?: string;
  /** That policy's `client_whitelist`. */
  readonly policyClients?: readonly string[];
}

/** An Okta group the configuration looks up (data sources read by the plan): its id and name, for assignments. */
export interface OktaGroupInPlan {
  readonly id: string;
  readonly name: string;
}

/** The review summary of a saved plan's `show -json`. */
export function summarizePlan(plan: PlanJson, options: SummarizeOptions = {}): PlanSummary {
  const raw = plan.resource_changes ?? [];
  const configured = configuredAttributes(plan.configuration?.root_module);
  const oktaGroups = oktaGroupsIn(plan.prior_state?.values?.root_module);
  const all = raw.map((rc) => withGroupName(summarizeResourceChange(rc, configured.get(configAddress(rc.address))), rc, oktaGroups));
  // An import with nothing to change is still a change of the state, and the reviewer must see it.
  const changes = all.filter((c) => c.action !== "no-op" || c.importing !== undefined);
  const outputs = Object.entries(plan.output_changes ?? {})
    .filter(([, c]) => actionOf(c.actions) !== "no-op")
    .map(([name, c]) => outputChange(name, c));
  const drift = (plan.resource_drift ?? []).map((rc) => summarizeResourceChange(rc)).filter((d) => d.attributes.length > 0 || d.action === "delete");
  const identityProvider = idpStep(raw);
  const authServerRules = authServerRulesIn(raw, plan.configuration?.root_module);
  return {
    formatVersion: 1,
    ...(plan.terraform_version ? { engineVersion: plan.terraform_version } : {}),
    destroy: options.destroy ?? looksLikeDestroy(plan, changes),
    errored: plan.errored === true,
    totals: countChanges(changes),
    changes,
    unchanged: all.length - changes.length,
    outputs,
    drift,
    ...(identityProvider ? { identityProvider } : {}),
    ...(authServerRules.length > 0 ? { authServerRules } : {}),
    ...(oktaGroups.length > 0 ? { oktaGroups } : {}),
  };
}

const strings = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === "string") ? [...v] : undefined);
const CHANGING = new Set(["create", "update", "replace"]);

/** `okta_auth_server_policy_rule`s this plan creates or changes (or whose policy it does), with their policy's clients. */
function authServerRulesIn(raw: readonly RawResourceChange[], config: RawConfigModule | undefined): AuthServerRuleInPlan[] {
  const policies = raw.filter((rc) => rc.type === "okta_auth_server_policy" && rc.mode === "managed");
  const references = new Map<string, readonly string[]>();
  const walk = (m: RawConfigModule | undefined, prefix: string): void => {
    for (const r of m?.resources ?? []) {
      const policyId = isRecord(r.expressions?.policy_id) ? r.expressions.policy_id : undefined;
      if (r.address && policyId) references.set(`${prefix}${r.address}`, strings(policyId.references)?.map((ref) => `${prefix}${ref}`) ?? []);
    }
    for (const [name, call] of Object.entries(m?.module_calls ?? {})) walk(call.module, `${prefix}module.${name}.`);
  };
  walk(config, "");
  const out: AuthServerRuleInPlan[] = [];
  for (const rc of raw) {
    if (rc.type !== "okta_auth_server_policy_rule" || rc.mode !== "managed") continue;
    const after = rc.change.after;
    if (!isRecord(after)) continue;
    const refs = references.get(configAddress(rc.address)) ?? [];
    const policy =
      policies.find((p) => refs.includes(configAddress(p.address))) ??
      policies.find((p) => typeof after.policy_id === "string" && isRecord(p.change.after) && p.change.after.id === after.policy_id);
    const ruleAction = actionOf(rc.change.actions);
    const policyAction = policy ? actionOf(policy.change.actions) : undefined;
    const action = CHANGING.has(ruleAction) ? ruleAction : policyAction && CHANGING.has(policyAction) ? policyAction : undefined;
    if (!action) continue;
    const policyAfter = policy && isRecord(policy.change.after) ? policy.change.after : undefined;
    const grantTypes = strings(after.grant_type_whitelist);
    const scopes = strings(after.scope_whitelist);
    const groups = strings(after.group_whitelist);
    const users = strings(after.user_whitelist);
    const policyClients = strings(policyAfter?.client_whitelist);
    out.push({
      address: rc.address,
      action,
      ...(typeof after.name === "string" ? { name: after.name } : {}),
      ...(grantTypes ? { grantTypes } : {}),
      ...(scopes ? { scopes } : {}),
      ...(groups ? { groups } : {}),
      ...(users ? { users } : {}),
      ...(policy ? { policyAddress: policy.address } : {}),
      ...(policyClients ? { policyClients } : {}),
    });
  }
  return out;
}

/** A group assignment is named after its group, when the plan looked that group up. */
function withGroupName(summary: ResourceChangeSummary, rc: RawResourceChange, groups: readonly OktaGroupInPlan[]): ResourceChangeSummary {
  if (rc.type !== "okta_app_group_assignment") return summary;
  const groupId = (v: unknown) => (isRecord(v) && typeof v.group_id === "string" ? v.group_id : undefined);
  const id = groupId(rc.change.after) ?? groupId(rc.change.before);
  const group = groups.find((g) => g.id === id);
  return group ? { ...summary, name: group.name } : summary;
}

/** Group ids the stack looks up, with their names: `okta_everyone_group` is "Everyone", `okta_group` has a `name`. */
function oktaGroupsIn(state: RawStateModule | undefined): OktaGroupInPlan[] {
  const out: OktaGroupInPlan[] = [];
  const walk = (m: RawStateModule | undefined): void => {
    for (const r of m?.resources ?? []) {
      if (r.mode !== "data" || !isRecord(r.values) || typeof r.values.id !== "string") continue;
      if (r.type === "okta_everyone_group") out.push({ id: r.values.id, name: "Everyone" });
      else if (r.type === "okta_group" && typeof r.values.name === "string") out.push({ id: r.values.id, name: r.values.name });
    }
    for (const c of m?.child_modules ?? []) walk(c);
  };
  walk(state);
  return out;
}

/** Whether the summary has anything to apply (the engine's exit code 2). */
export function summaryHasChanges(summary: PlanSummary): boolean {
  return summary.changes.some((c) => c.mode === "managed") || summary.outputs.length > 0;
}

/**
 * Every sensitive value in a plan's JSON (client secrets, sensitive outputs and variables, their hashes): the list a
 * caller scrubs from anything it writes or posts, as a last line of defence behind the masking.
 */
export function sensitiveValuesInPlan(plan: PlanJson): string[] {
  const found = new Set<string>();
  for (const rc of [...(plan.resource_changes ?? []), ...(plan.resource_drift ?? [])]) {
    sensitiveStrings(rc.change.before, rc.change.before_sensitive, found);
    sensitiveStrings(rc.change.after, rc.change.after_sensitive, found);
  }
  for (const c of Object.values(plan.output_changes ?? {})) {
    sensitiveStrings(c.before, c.before_sensitive, found);
    sensitiveStrings(c.after, c.after_sensitive, found);
  }
  const state = plan.prior_state?.values;
  const walkModule = (m: RawStateModule | undefined): void => {
    for (const r of m?.resources ?? []) sensitiveStrings(r.values, r.sensitive_values, found);
    for (const c of m?.child_modules ?? []) walkModule(c);
  };
  walkModule(state?.root_module);
  for (const o of Object.values(state?.outputs ?? {})) if (o.sensitive) sensitiveStrings(o.value, true, found);
  const declared = plan.configuration?.root_module?.variables ?? {};
  for (const [name, v] of Object.entries(plan.variables ?? {})) if (declared[name]?.sensitive) sensitiveStrings(v.value, true, found);
  // Short values ("true", "0") would blank out ordinary text; real secrets are long.
  return [...found].filter((s) => s.length >= 6);
}
