import type { ReportAction } from "../qlik/reconcile";
import type { AttributeChange, ShownValue } from "./attribute-diff";
import { IdpSettingsInPlan, PlanSummary, ResourceChangeSummary } from "./plan-summary";
import { qlikQuiet, replacesOktaApp } from "./qlik-plan";
import { clip, inlineCode, namesList, StackReview } from "./markdown";

/**
 * What changes, in domain words (pure): the security attributes of new Okta objects, the Okta resource types as a
 * reviewer names them and the order they are listed in, which changes a reviewer reads about (not the Qlik step's
 * `terraform_data` plumbing), object labels and replacement reasons, and one line per change: per Okta object (its
 * groups claim as an object of its own) and per Qlik IdP action. Builds on `./markdown`; the sections and the
 * comment (`./sections`, `./render`) build on it.
 */

/**
 * Attributes of a new Okta object a reviewer must see: who can sign in or get tokens, where codes and tokens go, how
 * the client authenticates. The create table shows these; the configuration's other values are listed below it and
 * provider defaults folded. A type not listed here shows what its configuration sets.
 */
export const SECURITY_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  okta_app_oauth: [
    "redirect_uris",
    "post_logout_redirect_uris",
    "wildcard_redirect",
    "grant_types",
    "token_endpoint_auth_method",
    "pkce_required",
    "consent_method",
    "issuer_mode",
    "groups_claim",
  ],
  okta_app_group_assignment: [],
  okta_auth_server: ["audiences"],
  okta_auth_server_policy: ["client_whitelist"],
  okta_auth_server_policy_rule: ["grant_type_whitelist", "scope_whitelist", "group_whitelist", "user_whitelist", "group_blacklist", "user_blacklist"],
  okta_auth_server_scope: ["consent"],
  okta_auth_server_claim: ["value", "scopes", "always_include_in_token"],
};

/** Okta resource types in domain words, in the order a stack's changes are listed. */
const OKTA_OBJECTS: readonly (readonly [type: string, words: string])[] = [
  ["okta_app_oauth", "Okta app"],
  ["okta_app_group_assignment", "group assignment"],
  ["okta_app_group_assignments", "group assignments"],
  ["okta_group", "Okta group"],
  ["okta_auth_server", "authorization server"],
  ["okta_auth_server_scope", "authorization server scope"],
  ["okta_auth_server_claim", "authorization server claim"],
  ["okta_auth_server_policy", "authorization server policy"],
  ["okta_auth_server_policy_rule", "authorization server rule"],
];

/** The Qlik step's resources in the engine plan: plumbing, shown only under the Qlik section. */
export const QLIK_STEP_TYPE = "terraform_data";
/** The Okta app's groups claim is a block of `okta_app_oauth`; the review lists it as an object of its own. */
const GROUPS_CLAIM = "groups_claim";

export const isQlikStep = (rc: ResourceChangeSummary): boolean => rc.type === QLIK_STEP_TYPE;
export const topLevel = (path: string): string => path.split(/[.[]/, 1)[0];
const typeRank = (type: string): number => {
  const i = OKTA_OBJECTS.findIndex(([t]) => t === type);
  return i === -1 ? OKTA_OBJECTS.length : i;
};

/** The managed changes a reviewer reads about (not the Qlik step's plumbing), Okta objects in a fixed order. */
export function reviewedChanges(plan: PlanSummary): ResourceChangeSummary[] {
  return plan.changes
    .filter((c) => c.mode === "managed" && !isQlikStep(c) && (c.action !== "no-op" || c.importing !== undefined))
    .map((c, i) => ({ c, i }))
    .sort((a, b) => typeRank(a.c.type) - typeRank(b.c.type) || a.i - b.i)
    .map(({ c }) => c);
}

/** "Okta app `Qlik Cloud`", "authorization server rule `Client credentials`", or the address when there is no name. */
export function objectLabel(rc: Pick<ResourceChangeSummary, "type" | "address" | "name">): string {
  const words = OKTA_OBJECTS.find(([t]) => t === rc.type)?.[1] ?? (rc.type.startsWith("okta_") ? `Okta ${rc.type.slice(5).replace(/_/g, " ")}` : undefined);
  if (!words) return inlineCode(rc.address);
  return `${words} ${inlineCode(rc.name ?? rc.address)}`;
}

const REASONS: Readonly<Record<string, string>> = {
  replace_by_request: "replacement requested (`-replace`)",
  replace_because_tainted: "tainted by a failed apply",
  replace_because_cannot_update: "a changed attribute forces replacement",
  replace_by_triggers: "replace_triggered_by",
  delete_because_no_resource_config: "removed from the configuration",
};

export function reasonText(rc: ResourceChangeSummary): string | undefined {
  const notes = [
    rc.reason ? (REASONS[rc.reason] ?? rc.reason.replace(/_/g, " ")) : undefined,
    rc.movedFrom ? `moved from ${inlineCode(rc.movedFrom)}` : undefined,
  ].filter(Boolean);
  return notes.length > 0 ? notes.join("; ") : undefined;
}

/** One or two lines for one Okta change: the object itself, and its groups claim when that changes too. */
export function oktaChangeLines(rc: ResourceChangeSummary): string[] {
  // An adopted object: "import" alone, or "import + update" when the config differs from what was made by hand.
  const imported = rc.importing !== undefined ? `**import** (${inlineCode(rc.importing)})${rc.action === "no-op" ? "" : " +"} ` : "";
  const verb = `${imported}**${rc.action}**`;
  const reason = reasonText(rc);
  const claimRows = rc.type === "okta_app_oauth" ? rc.attributes.filter((a) => topLevel(a.path) === GROUPS_CLAIM) : [];
  const lines: string[] = [];
  switch (rc.action) {
    case "update": {
      const names = [...new Set(rc.attributes.map((a) => topLevel(a.path)))].filter((n) => !(claimRows.length > 0 && n === GROUPS_CLAIM));
      if (names.length > 0 || claimRows.length === 0) lines.push(`- ${verb} ${objectLabel(rc)}${names.length > 0 ? `: ${namesList(names)}` : ""}${reason ? ` — ${reason}` : ""}`);
      if (claimRows.length > 0) {
        const fields = [...new Set(claimRows.map((a) => a.path.replace(/^groups_claim(\[\d+\])?\.?/, "")).filter(Boolean))];
        lines.push(`- ${verb} groups claim of the Okta app${fields.length > 0 ? `: ${namesList(fields)}` : ""}`);
      }
      break;
    }
    case "replace": {
      const forced = [...new Set(rc.attributes.filter((a) => a.forcesReplacement).map((a) => topLevel(a.path)))];
      // "a changed attribute forces replacement" says less than the attributes themselves
      const said = forced.length > 0 && rc.reason === "replace_because_cannot_update" ? reasonText({ ...rc, reason: undefined }) : reason;
      const why = [said, forced.length > 0 ? `${namesList(forced)} cannot change in place` : undefined].filter(Boolean).join("; ");
      lines.push(`- ${verb} ${objectLabel(rc)}${why ? ` — ${why}` : ""}`);
      break;
    }
    case "create": {
      lines.push(`- ${verb} ${objectLabel(rc)}${reason ? ` — ${reason}` : ""}`);
      if (claimRows.length > 0) {
        const value = (field: string) => claimRows.find((a) => a.path.replace(/^groups_claim(\[\d+\])?\./, "") === field)?.after;
        const shown = (v: ShownValue | undefined) => (v && "value" in v ? inlineCode(clip(String(v.value))) : undefined);
        const name = shown(value("name"));
        const filter = [shown(value("filter_type")), shown(value("value"))].filter(Boolean).join(" ");
        lines.push(`- ${verb} groups claim${name ? ` ${name}` : ""} of the Okta app${filter ? `: ${filter}` : ""}`);
      }
      break;
    }
    case "no-op":
      lines.push(`- ${imported.trimEnd()} ${objectLabel(rc)}: as made by hand, nothing to change`);
      break;
    case "forget":
      lines.push(`- ${verb} ${objectLabel(rc)} — removed from the state, left in Okta${reason ? `; ${reason}` : ""}`);
      break;
    default:
      lines.push(`- ${verb} ${objectLabel(rc)}${reason ? ` — ${reason}` : ""}`);
  }
  return lines;
}

/**
 * The Qlik step's settings rows: its `input`, named as under `identityProvider:` in the config (`activate`,
 * `onDestroy`) or as the step's own fields (`tenantHostname`, `clientId`); the client secret's hash is not a setting.
 */
export function qlikStepRows(plan: PlanSummary | undefined): AttributeChange[] {
  const step = plan?.changes.find((c) => c.address === plan.identityProvider?.address);
  return (step?.attributes ?? [])
    .filter((a) => a.path.startsWith("input."))
    .map((a) => ({ ...a, path: a.path.slice("input.".length).replace(/^identityProvider\./, "") }));
}

/** How a new IdP ends up, from the stack's settings: "not activated", or when it is activated. */
function activationWords(settings: IdpSettingsInPlan | undefined): string | undefined {
  if (settings?.activate === false) return "not activated";
  if (settings?.activate !== true) return undefined;
  return settings.verification === "skip"
    ? "activated by this apply (unless another IdP is the tenant's active sign-in: the lockout guard)"
    : "activated by the apply that promotes it, once an admin has validated its test login";
}

const QLIK_WORDS: Readonly<Record<ReportAction["kind"], string>> = {
  create: "**create** Qlik IdP",
  recreate: "**recreate** Qlik IdP: deleted and created again",
  patch: "**update** Qlik IdP",
  promote: "**promote** Qlik IdP: its validated test configuration goes live",
  activate: "**activate** Qlik IdP: it becomes the tenant's sign-in",
  deactivate: "**deactivate**",
  delete: "**delete** Qlik IdP",
  blocked: "**blocked** by the lockout guard:",
  none: "Qlik IdP: no change on the tenant",
};

/** One line per Qlik action, in domain words. */
export function qlikChangeLines(stack: StackReview): string[] {
  const record = stack.qlik;
  const plan = stack.plan;
  if (!record) return [];
  switch (record.status) {
    case "after-okta": {
      const how = activationWords(plan?.identityProvider?.after);
      return [`- **create** Qlik IdP after the Okta app exists${how ? `, ${how}` : ""}`];
    }
    case "failed":
      return ["- ❌ **Qlik plan failed**: see below"];
    case "destroy":
      return [
        record.onDestroy === "delete"
          ? "- **delete** Qlik IdP (`onDestroy: delete`)"
          : record.onDestroy === "retain"
            ? "- Qlik IdP stays on the tenant (`onDestroy: retain`)"
            : "- the Qlik step's destroy runs",
      ];
    case "planned": {
      const report = record.report;
      const actions = (report.actions ?? []).filter((a) => a.kind !== "none");
      const activates = actions.some((a) => a.kind === "activate");
      const lines = actions.map((a) => {
        switch (a.kind) {
          case "create":
            return `- ${QLIK_WORDS.create}${activates ? "" : `, ${activationWords(plan?.identityProvider?.after) ?? "not activated"}`}`;
          case "patch": {
            const fields = [...new Set((report.changes ?? []).map((c) => c.path))];
            return `- ${QLIK_WORDS.patch}${fields.length > 0 ? `: ${namesList(fields)}` : ""}`;
          }
          case "deactivate":
            return a.id !== undefined && a.id === report.idpId
              ? `- ${QLIK_WORDS.deactivate} Qlik IdP: it stops being the tenant's sign-in`
              : `- ${QLIK_WORDS.deactivate} the tenant's current sign-in${a.id ? ` (IdP ${inlineCode(a.id)})` : ""}, so that ours takes over`;
          case "blocked":
            return `- ${QLIK_WORDS.blocked} ${inlineCode(a.summary)}`;
          default:
            return `- ${QLIK_WORDS[a.kind]}`;
        }
      });
      const creates = actions.some((a) => a.kind === "create" || a.kind === "recreate");
      if (replacesOktaApp(plan) && !creates) lines.push("- **update** Qlik IdP: the new client id and secret of the replaced Okta app");
      if (lines.length > 0) return lines;
      const settings = [...new Set(qlikStepRows(plan).map((r) => r.path))];
      if (plan?.identityProvider && plan.identityProvider.action !== "no-op") {
        return [`- ${QLIK_WORDS.none}; the stack's stored Qlik settings change${settings.length > 0 ? `: ${namesList(settings)}` : ""}`];
      }
      if (qlikQuiet(record, plan)) return [];
      const waiting =
        report.pendingState === "pending"
          ? "; its test configuration waits for an admin to validate it"
          : report.pendingState === "error"
            ? "; the last validation of its test configuration failed"
            : "";
      return [`- ${QLIK_WORDS.none}${waiting}`];
    }
  }
}
